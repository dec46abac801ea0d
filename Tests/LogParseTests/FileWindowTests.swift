import Foundation
import Testing

@testable import LogParse

/// What a reader returned: every chunk with its place, then the statistics and the line after.
private struct Reading: Equatable {
  struct Piece: Equatable {
    var bytes: [UInt8]
    var firstLine: Int
    var startOffset: Int64
    var cut: Bool
  }
  var pieces: [Piece] = []
  var bytesRead: Int64 = 0
  var cutSegments = 0
  var discardedBytes: Int64 = 0
  var lineAfter = 0
}

/// Reads to the end; `afterEach` gets the number of chunks so far and the reader after each one.
private func read(
  _ reader: inout ChunkReader, afterEach: (Int, inout ChunkReader) -> Void = { _, _ in }
) throws -> Reading {
  var reading = Reading()
  while let chunk = try reader.next() {
    reading.pieces.append(
      .init(
        bytes: Array(chunk.bytes), firstLine: chunk.firstLine, startOffset: chunk.startOffset,
        cut: chunk.endsWithCutSegment))
    afterEach(reading.pieces.count, &reader)
  }
  reading.bytesRead = reader.statistics.bytesRead
  reading.cutSegments = reader.statistics.cutSegments
  reading.discardedBytes = reader.statistics.discardedBytes
  reading.lineAfter = reader.lineAfterLastChunk
  return reading
}

/// Random log-like bytes: lines of 0–300 bytes (some over the tests' 128-byte cap) ended by
/// `\n`, `\r\n` or a bare `\r`, the last one sometimes unterminated.
private func randomLog(_ random: inout SplitMix, lines: Int) -> [UInt8] {
  var bytes: [UInt8] = []
  for index in 0..<lines {
    let length = Int(random.next() % 8 == 0 ? 130 + random.next() % 400 : random.next() % 120)
    for _ in 0..<length { bytes.append(0x20 + UInt8(random.next() % 90)) }
    if index == lines - 1, random.next() % 2 == 0 { break }
    switch random.next() % 6 {
    case 0: bytes += [0x0D, 0x0A]
    case 1: bytes.append(0x0D)
    default: bytes.append(0x0A)
    }
  }
  return bytes
}

private func temporaryFile(_ bytes: [UInt8]) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("window-\(UUID().uuidString).log")
  try Data(bytes).write(to: url)
  return url
}

@Suite("Reading a regular file through a memory mapping")
struct FileWindowTests {
  @Test("mapped and read readers return the same chunks, whole files and ranges, windows moving often")
  func mappedEqualsRead() throws {
    var random = SplitMix(seed: 0x5EED_0F_F11E)
    for round in 0..<24 {
      let bytes = randomLog(&random, lines: 40 + Int(random.next() % 400))
      let url = try temporaryFile(bytes)
      defer { try? FileManager.default.removeItem(at: url) }
      let readSize = [1, 7, 64, 500, 4096, 65_536][round % 6]
      // A page or two: held bytes cross window ends all the time.
      let window = [4096, 8192, FileWindow.minimumLength][round % 3]
      var plain = try ChunkReader(path: url.path, readSize: readSize, maxSegmentLength: 128)
      plain.readWithoutMapping()
      var mapped = try ChunkReader(path: url.path, readSize: readSize, maxSegmentLength: 128)
      mapped.mapInWindows(of: window)
      let expected = try read(&plain)
      #expect(expected.bytesRead == Int64(bytes.count))
      #expect(try read(&mapped) == expected, "round \(round), read size \(readSize), window \(window)")
      let ways = (mapped.isMapped, plain.isMapped)
      #expect(ways == (true, false))

      let lower = Int64(random.next() % UInt64(bytes.count))
      let upper = lower + Int64(random.next() % UInt64(bytes.count - Int(lower) + 1))
      var plainRange = try ChunkReader(path: url.path, range: lower..<upper, firstLine: 5, readSize: readSize,
        maxSegmentLength: 128)
      plainRange.readWithoutMapping()
      var mappedRange = try ChunkReader(path: url.path, range: lower..<upper, firstLine: 5, readSize: readSize,
        maxSegmentLength: 128)
      mappedRange.mapInWindows(of: window)
      let expectedRange = try read(&plainRange)
      #expect(try read(&mappedRange) == expectedRange, "round \(round), range \(lower)..<\(upper)")
      let rangeMapped = mappedRange.isMapped
      #expect(rangeMapped)
      // A reader moved to another range reads it as a fresh one would.
      try mappedRange.restart(range: 0..<Int64(bytes.count))
      #expect(try read(&mappedRange) == expected, "round \(round), restarted")
    }
  }

  @Test("a file truncated before the reader reaches the cut ends there, as with read, without SIGBUS or zeros")
  func truncatedAhead() throws {
    var random = SplitMix(seed: 77)
    var bytes: [UInt8] = []
    while bytes.count < 3 << 20 { bytes += randomLog(&random, lines: 100) + [0x0A] }
    let url = try temporaryFile(bytes)
    defer { try? FileManager.default.removeItem(at: url) }
    // A cut on a page boundary (the pages after it fault) and one inside a page (the rest of
    // that page reads as zeros without a fault; only the file's size tells).
    for cut in [98_304, 100_000] {
      #expect(truncate(url.path, off_t(bytes.count)) == 0)
      try Data(bytes).write(to: url)
      var reader = try ChunkReader(path: url.path, readSize: 64 << 10, maxSegmentLength: 256 << 10)
      var returned = Array(try #require(try reader.next()).bytes)
      let mapped = reader.isMapped
      #expect(mapped)
      #expect(truncate(url.path, off_t(cut)) == 0)
      while let chunk = try reader.next() { returned += Array(chunk.bytes) }
      #expect(returned.count <= cut)
      #expect(returned.count > 64 << 10)
      #expect(returned == Array(bytes[0..<returned.count]), "cut at \(cut)")
    }
  }

  @Test("a file that shrinks to a few short lines gives what read gives: its lines, no cut segment")
  func shrinkToShortLines() throws {
    var bytes: [UInt8] = []
    for index in 0..<4000 { bytes += Array("line \(index) of a short log\n".utf8) }
    let url = try temporaryFile(bytes)
    defer { try? FileManager.default.removeItem(at: url) }
    for cut in [12_288, 12_000] {
      var results: [(bytes: [UInt8], cuts: Int)] = []
      for mapped in [false, true] {
        try Data(bytes).write(to: url)
        var reader = try ChunkReader(path: url.path, readSize: 8192, maxSegmentLength: 128)
        if mapped { reader.mapInWindows(of: 4096) } else { reader.readWithoutMapping() }
        var returned = Array(try #require(try reader.next()).bytes)
        #expect(truncate(url.path, off_t(cut)) == 0)
        while let chunk = try reader.next() { returned += Array(chunk.bytes) }
        results.append((returned, reader.statistics.cutSegments))
      }
      #expect(results[1].bytes == results[0].bytes, "cut at \(cut)")
      #expect(results[1].cuts == 0 && results[0].cuts == 0)
      #expect(results[1].bytes == Array(bytes[0..<results[1].bytes.count]))
    }
  }

  @Test("when mapping fails midway the reader goes on with read and returns the same chunks")
  func fallsBackToRead() throws {
    var random = SplitMix(seed: 99)
    let bytes = randomLog(&random, lines: 3000)
    let url = try temporaryFile(bytes)
    defer { try? FileManager.default.removeItem(at: url) }
    var plain = try ChunkReader(path: url.path, readSize: 3000, maxSegmentLength: 128)
    plain.readWithoutMapping()
    let expected = try read(&plain)
    var reader = try ChunkReader(path: url.path, readSize: 3000, maxSegmentLength: 128)
    reader.mapInWindows(of: 4096)
    let reading = try read(&reader) { chunks, reader in
      if chunks == 3 { reader.refuseFurtherMappings() }
    }
    let mappedAtEnd = reader.isMapped
    #expect(!mappedAtEnd)
    #expect(reading.pieces.count > 6)
    #expect(reading == expected)
  }

  @Test("a file truncated under a chunk already handed out: zeros instead of SIGBUS, and the reader says why")
  func truncatedUnderAChunk() throws {
    var random = SplitMix(seed: 78)
    var bytes: [UInt8] = []
    while bytes.count < 1 << 20 { bytes += randomLog(&random, lines: 100) + [0x0A] }
    let url = try temporaryFile(bytes)
    defer { try? FileManager.default.removeItem(at: url) }
    var reader = try ChunkReader(path: url.path, readSize: 256 << 10)
    let chunk = try #require(try reader.next())
    let before = reader.truncationError()
    #expect(before == nil)
    #expect(truncate(url.path, 0) == 0)
    // The caller reads the chunk after the cut: zeros, where SIGBUS would have killed the process.
    #expect(ByteScan.firstNUL(chunk.bytes) != nil)
    let found = reader.truncationError()
    let error = try #require(found)
    #expect(error.kind == .readFailed)
    #expect(error.description.contains("truncated while it was being read"))
    let next = try reader.next()
    #expect(next == nil)

    // Cut inside the chunk's last page: the bytes after the cut read as zeros without a fault.
    try Data(bytes).write(to: url)
    var again = try ChunkReader(path: url.path, readSize: 256 << 10)
    let handedOut = try #require(try again.next())
    let cut = handedOut.bytes.count - 100
    #expect(cut % 4096 != 0)
    #expect(truncate(url.path, off_t(cut)) == 0)
    #expect(ByteScan.firstNUL(handedOut.bytes) == cut)
    let told = again.truncationError()
    #expect(told?.kind == .readFailed)
  }

  @Test("scanning a log that is truncated mid-read keeps the records before the cut and ends cleanly")
  func scanOfTruncatedLog() throws {
    var text = ""
    var step = 0
    while text.utf8.count < 2 << 20 {
      step += 1
      text += "\r 50%|#####     | \(step)/9999 [00:01<00:01]\n{'loss': \(Double(step % 97) / 10 + 1), 'epoch': 0.5}\n"
    }
    let url = try temporaryFile(Array(text.utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    var records = 0
    var truncated = false
    _ = try LogScanner.scanFile(url.path) { event in
      guard case .trainingStep = event else { return }
      records += 1
      if !truncated {
        // The first chunk is scanned; the next ones lie past the new end.
        #expect(Foundation.truncate(url.path, 4096) == 0)
        truncated = true
      }
    }
    #expect(records > 0)
    #expect(records < step)
  }
}
