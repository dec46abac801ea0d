import Foundation
import Testing

@testable import LogParse

/// Reads `bytes` through a real file with the given buffer sizes and returns every segment.
func readSegments(
  _ bytes: [UInt8], readSize: Int = 7, maxSegmentLength: Int = 64
) throws -> (segments: [(text: String, line: Int, offset: Int64, cut: Bool)], stats: ChunkReader.Statistics) {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("segments-\(UUID().uuidString).log")
  try Data(bytes).write(to: url)
  defer { try? FileManager.default.removeItem(at: url) }
  var reader = try ChunkReader(path: url.path, readSize: readSize, maxSegmentLength: maxSegmentLength)
  var segments: [(String, Int, Int64, Bool)] = []
  while let chunk = try reader.next() {
    chunk.forEachSegment { segment in
      segments.append((String(decoding: segment.bytes, as: UTF8.self), segment.line, segment.offset, segment.isCut))
    }
  }
  return (segments.map { (text: $0.0, line: $0.1, offset: $0.2, cut: $0.3) }, reader.statistics)
}

@Suite("Reading segments")
struct ChunkReaderTests {
  @Test("segments end at \\n, \\r\\n and bare \\r, with physical line numbers and offsets")
  func terminators() throws {
    let text = "one\ntwo\r\nbar 1\rbar 2\r{'loss': 1.0}\nlast"
    let (segments, _) = try readSegments(Array(text.utf8), readSize: 4096)
    #expect(segments.map(\.text) == ["one", "two", "bar 1", "bar 2", "{'loss': 1.0}", "last"])
    #expect(segments.map(\.line) == [1, 2, 3, 3, 3, 4])
    #expect(segments.map(\.offset) == [0, 4, 9, 15, 21, 35])
  }

  @Test("the same segments come out whatever the read size, across chunk boundaries", arguments: [1, 2, 3, 5, 7, 64])
  func acrossChunkBoundaries(readSize: Int) throws {
    let text = "alpha\r\nbeta\rgamma\n\n\rdelta\r\n" + String(repeating: "x", count: 30) + "\nomega"
    let expected = try readSegments(Array(text.utf8), readSize: 4096).segments
    let (segments, stats) = try readSegments(Array(text.utf8), readSize: readSize)
    #expect(segments.map(\.text) == expected.map(\.text))
    #expect(segments.map(\.line) == expected.map(\.line))
    #expect(segments.map(\.offset) == expected.map(\.offset))
    #expect(stats.bytesRead == Int64(text.utf8.count))
    #expect(stats.cutSegments == 0)
  }

  @Test("a last line without \\n is still read")
  func lastLineWithoutNewline() throws {
    let (segments, _) = try readSegments(Array("a\nb\nno newline at end".utf8))
    #expect(segments.last?.text == "no newline at end")
    #expect(segments.last?.line == 3)
  }

  @Test("a segment over the cap is cut there, counted, and the next line is read normally")
  func overlongSegmentIsCut() throws {
    let long = String(repeating: "y", count: 200)
    let (segments, stats) = try readSegments(Array("start\n\(long)\nafter\n".utf8), readSize: 16, maxSegmentLength: 50)
    #expect(segments.map(\.text) == ["start", String(repeating: "y", count: 50), "after"])
    #expect(segments.map(\.cut) == [false, true, false])
    #expect(segments.map(\.line) == [1, 2, 3])
    #expect(segments[2].offset == 207)
    #expect(stats.cutSegments == 1)
    #expect(stats.discardedBytes == 150)
  }

  @Test("a 5 MiB line with the default buffers is cut at 1 MiB without trouble")
  func fiveMebibyteLine() throws {
    var bytes = Array("{'loss': 1.5, 'learning_rate': 0.1, 'epoch': 0.1}\n".utf8)
    bytes += [UInt8](repeating: UInt8(ascii: "#"), count: 5 * 1024 * 1024)
    bytes += Array("\n{'loss': 1.25, 'learning_rate': 0.1, 'epoch': 0.2}\n".utf8)
    let (segments, stats) = try readSegments(
      bytes, readSize: ChunkReader.defaultReadSize, maxSegmentLength: ChunkReader.defaultMaxSegmentLength)
    #expect(segments.count == 3)
    #expect(segments[1].text.utf8.count == ChunkReader.defaultMaxSegmentLength)
    #expect(segments[2].text.hasPrefix("{'loss': 1.25"))
    #expect(segments[2].line == 3)
    #expect(stats.cutSegments == 1)
    #expect(stats.discardedBytes == Int64(5 * 1024 * 1024 - ChunkReader.defaultMaxSegmentLength))
  }

  @Test("a file of only \\r and \\n has no segments")
  func onlyTerminators() throws {
    let (segments, _) = try readSegments(Array("\r\r\n\r\n\n\r".utf8))
    #expect(segments.isEmpty)
  }

  @Test("opening a missing file or a directory fails with the path and the reason")
  func openFailures() {
    #expect {
      _ = try ChunkReader(path: "/nonexistent/diagnose/file.log")
    } throws: { error in
      (error as? InputError)?.kind == .notFound
    }
    #expect {
      _ = try ChunkReader(path: NSTemporaryDirectory())
    } throws: { error in
      guard let error = error as? InputError else { return false }
      return error.kind == .isDirectory && error.description.contains(NSTemporaryDirectory())
    }
  }

  @Test("newline counting agrees with a byte-by-byte count on every alignment")
  func newlineCount() {
    let bytes: [UInt8] = (0..<1000).map { (index: Int) -> UInt8 in
      if index % 7 == 0 || index % 13 == 0 { return 0x0A }
      return UInt8(32 + index % 90)
    }
    bytes.withUnsafeBytes { buffer in
      for start in 0..<20 {
        for end in stride(from: start, through: 1000, by: 37) {
          let expected = bytes[start..<end].filter { $0 == 0x0A }.count
          #expect(ByteScan.countNewlines(buffer, in: start..<end) == expected)
        }
      }
    }
  }
}
