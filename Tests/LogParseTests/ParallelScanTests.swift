import Foundation
import Testing

@testable import LogParse

/// Reading a file in parallel ranges gives exactly the events of one sequential pass.
@Suite("Parallel scan equals the sequential scan")
struct ParallelScanTests {
  /// A log with every shape that could go wrong at a cut: tqdm `\r` redraws, `\r\n`, the clear
  /// before a dict, eval dicts, a cut dict, a last line without `\n`.
  static let log: String = {
    var text = "[INFO|trainer.py:2231] 2024-03-01 >> ***** Running training *****\r\n"
    for step in 1...40 {
      text += "\r  \(step)%|▏ | \(step)/40 [00:01<00:02,  3.21it/s]\r  \(step)%|▏ | \(step)/40 [00:01<00:02]"
      text += "\nnode0:1:1 [0] NCCL INFO Channel 00/02 via P2P/IPC\n"
      text += "\r" + String(repeating: " ", count: 20) + "\r"
      text += "{'loss': \(Double(step) * 0.0137 + 1), 'grad_norm': \(1.0 / Double(step)), "
      text += "'learning_rate': \(2e-5 * Double(step) / 7), 'epoch': \(Double(step) / 40)}\n"
      if step % 9 == 0 { text += "{'eval_loss': 1.25, 'eval_runtime': 3.5, 'epoch': \(Double(step) / 40)}\r\n" }
      if step == 17 { text += "{'loss': 2.5, 'grad_norm': \n" }
    }
    return text + "{'train_runtime': 99.5, 'train_loss': 1.2345, 'epoch': 1.0}"
  }()

  @Test("every line start (so every record boundary) as a range boundary gives the sequential events")
  func recordBoundaries() throws {
    try withFile(Self.log) { path in
      let expected = try sequential(path)
      #expect(expected.count > 40)
      let bytes = Array(Self.log.utf8)
      // A record's line starts with tqdm's clear (`\r  \r{'loss'…`) or with the dict itself.
      let lineStarts = bytes.indices.filter { $0 > 0 && bytes[$0 - 1] == 0x0A }
      #expect(lineStarts.count > 120)
      for start in lineStarts {
        // The first cut falls exactly at this line's first byte; later cuts at other lines.
        let ranges = try RangeCutter.ranges(of: path, size: Int64(bytes.count), rangeSize: Int64(start))
        #expect(ranges.first?.upperBound == Int64(start))
        let events = try parallel(path, rangeSize: Int64(start))
        #expect(events == expected)
      }
    }
  }

  @Test("any range size gives the sequential events", arguments: [1, 2, 3, 50, 97, 128, 1000, 4096, 1 << 20])
  func anyRangeSize(_ rangeSize: Int) throws {
    try withFile(Self.log) { path in
      let events = try parallel(path, rangeSize: Int64(rangeSize))
      #expect(try events == sequential(path))
    }
  }

  @Test("ranges cover the file without gaps, each starting after a newline")
  func rangesAreContiguous() throws {
    try withFile(Self.log) { path in
      let bytes = Array(Self.log.utf8)
      let ranges = try RangeCutter.ranges(of: path, size: Int64(bytes.count), rangeSize: 100)
      #expect(ranges.first?.lowerBound == 0)
      #expect(ranges.last?.upperBound == Int64(bytes.count))
      for (before, after) in zip(ranges, ranges.dropFirst()) {
        #expect(before.upperBound == after.lowerBound)
        #expect(bytes[Int(after.lowerBound) - 1] == 0x0A)
      }
    }
  }

  @Test("a multi-line block cut by a range boundary is read whole, once", arguments: [1, 7, 40, 64, 150, 333])
  func blocksAcrossRanges(_ rangeSize: Int) throws {
    var text = ""
    for block in 0..<6 {
      text += "{'loss': \(Double(block) + 0.5), 'learning_rate': 1e-05, 'epoch': 0.1}\n"
      text += "BEGIN \(block)\n"
      for line in 0..<(block * 3) {
        text += "  field\(line) = \(line)\r\n"
        if line == 4 { text += "{'loss': 9.75, 'grad_norm': 0.5, 'learning_rate': 2e-05}\n" }
      }
      text += "END\n"
    }
    text += "BEGIN unterminated\n  a = 1\n"
    try withFile(text) { path in
      let formats: @Sendable () -> [any LogFormat] = { [HuggingFaceDictFormat(), BlockFormat()] }
      let expected = try sequential(path, formats: formats)
      #expect(expected.filter { $0.contains("block of") }.count == 7)
      let events = try parallel(path, rangeSize: Int64(rangeSize), formats: formats)
      #expect(events == expected)
    }
  }

  @Test("a format with state across records makes the read sequential")
  func statefulFormatFallsBack() throws {
    try withFile(Self.log) { path in
      let formats: @Sendable () -> [any LogFormat] = { [CountingFormat()] }
      let expected = try sequential(path, formats: formats)
      #expect(expected.last?.contains("record 4") == true)
      let events = try parallel(path, rangeSize: 64, formats: formats)
      #expect(events == expected)
    }
  }

  @Test("a binary file is refused as the sequential scan refuses it")
  func binaryRefused() throws {
    try withFile("{'loss': 1.0}\n\0\0binary\n" + Self.log) { path in
      #expect(throws: InputError.self) { _ = try parallel(path, rangeSize: 8) }
    }
  }

  // MARK: - Helpers

  private func withFile(_ text: String, _ body: (String) throws -> Void) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("parallel-\(UUID().uuidString).log")
    try Data(text.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    try body(url.path)
  }

  private func sequential(
    _ path: String, formats: @Sendable () -> [any LogFormat] = FormatRegistry.consoleFormats
  ) throws -> [String] {
    var events: [String] = []
    _ = try LogScanner.scanFile(path, formats: formats()) { events.append(String(describing: $0)) }
    return events
  }

  private func parallel(
    _ path: String, rangeSize: Int64,
    formats: @escaping @Sendable () -> [any LogFormat] = FormatRegistry.consoleFormats
  ) throws -> [String] {
    var events: [String] = []
    try ParallelScan.scanFile(path, threads: 2, formats: formats, minimumSize: 0, rangeSize: rangeSize) {
      events.append(String(describing: $0))
    }
    return events
  }
}

/// A test format with multi-line blocks: `BEGIN name` … `END`, reported as one note with its
/// line count; an unterminated block is reported at the end of the input.
private final class BlockFormat: LogFormat {
  let name = "test-block"
  var readsFromAnyLine: Bool { true }
  private var open: (location: LogParse.SourceLocation, title: String, lines: Int)?

  func findCandidates(in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    let word = Array("BEGIN".utf8)
    guard bytes.count >= word.count else { return }
    for index in 0...(bytes.count - word.count) where bytes[index] == word[0] {
      if (0..<word.count).allSatisfy({ bytes[index + $0] == word[$0] }) { offsets.append(index) }
    }
  }

  func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    open = (segment.location, String(decoding: segment.bytes, as: UTF8.self), 0)
    return .wantsFollowingSegments
  }

  func continueBlock(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    guard let block = open else { return .done }
    if String(decoding: segment.bytes, as: UTF8.self) == "END" {
      report(block, &events)
      return .done
    }
    open?.lines += 1
    return .wantsFollowingSegments
  }

  func finish(into events: inout [LogEvent]) {
    if let block = open { report(block, &events) }
  }

  private func report(
    _ block: (location: LogParse.SourceLocation, title: String, lines: Int), _ events: inout [LogEvent]
  ) {
    events.append(
      .note(
        ParseNote(
          location: block.location, kind: .incompleteRecord, message: "block of \(block.lines) lines: \(block.title)")))
    open = nil
  }
}

/// A test format that numbers eval dicts: its state crosses records, so it keeps
/// `readsFromAnyLine` false.
private final class CountingFormat: LogFormat {
  let name = "test-counting"
  private var count = 0

  func findCandidates(in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    let word = Array("{'eval_loss'".utf8)
    guard bytes.count >= word.count else { return }
    for index in 0...(bytes.count - word.count) where bytes[index] == word[0] {
      if (0..<word.count).allSatisfy({ bytes[index + $0] == word[$0] }) { offsets.append(index) }
    }
  }

  func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    count += 1
    events.append(.note(ParseNote(location: segment.location, kind: .incompleteRecord, message: "record \(count)")))
    return .done
  }
}
