import Foundation
import Testing

@testable import LogParse

#if canImport(Glibc)
  import Glibc
#endif

/// What crashing programs on shared filesystems leave behind: each input is read without a crash or
/// a hang, what came before the bad part is kept, and the error names the file and the place.
@Suite("Hostile input: LogParse readers")
struct HostileInputTests {
  static let dict1 = "{'loss': 1.5, 'grad_norm': 0.5, 'learning_rate': 1e-05, 'epoch': 0.1}\n"
  static let dict2 = "{'loss': 1.25, 'grad_norm': 0.5, 'learning_rate': 2e-05, 'epoch': 0.2}\n"

  static func temporary(_ bytes: [UInt8], suffix: String = ".log") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)\(suffix)")
    try Data(bytes).write(to: url)
    return url
  }

  /// Scans `path`, returning the events delivered and the error thrown, if any.
  static func scan(_ path: String, allowBinary: Bool = false, readSize: Int = ChunkReader.defaultReadSize) -> (
    events: [LogEvent], error: InputError?
  ) {
    var events: [LogEvent] = []
    do {
      _ = try LogScanner.scanFile(path, allowBinary: allowBinary, readSize: readSize) { events.append($0) }
      return (events, nil)
    } catch {
      return (events, error)
    }
  }

  @Test("a NUL byte after records stops reading there: the records before it are kept", arguments: [16, 4096])
  func nulAfterRecords(readSize: Int) throws {
    let url = try Self.temporary(Array((Self.dict1 + Self.dict2 + "core dump:\0\0\u{1}\n" + Self.dict1).utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    let (events, error) = Self.scan(url.path, readSize: readSize)
    #expect(trainingSteps(events).map(\.loss) == [1.5, 1.25])
    let failure = try #require(error)
    #expect(failure.kind == .binary)
    #expect(failure.line == 3)
    #expect(failure.byteOffset == Int64((Self.dict1 + Self.dict2 + "core dump:").utf8.count))
    #expect(failure.description.contains("\(url.path):3"))
    #expect(failure.description.contains("--binary"))
  }

  @Test("with allowBinary the NUL is read as text and the records after it count too")
  func nulAllowed() throws {
    let url = try Self.temporary(Array((Self.dict1 + "x\0y\n" + Self.dict2).utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    let (events, error) = Self.scan(url.path, allowBinary: true)
    #expect(error == nil)
    #expect(trainingSteps(events).map(\.loss) == [1.5, 1.25])
  }

  @Test("/dev/zero stops at its first byte as binary")
  func devZero() {
    let (events, error) = Self.scan("/dev/zero")
    #expect(events.isEmpty)
    #expect(error?.kind == .binary)
    #expect(error?.byteOffset == 0)
  }

  @Test("invalid UTF-8 inside a record: that value is a note, the rest of the row and its neighbours are read")
  func invalidUTF8() throws {
    let bytes = Array(Self.dict1.utf8) + Array("{'loss': \u{FF}".utf8) + [0xFF, 0xFE, 0xC3] + Array(", 'epoch': 0.15}\n".utf8)
      + Array(Self.dict2.utf8)
    let url = try Self.temporary(bytes)
    defer { try? FileManager.default.removeItem(at: url) }
    let (events, error) = Self.scan(url.path)
    #expect(error == nil)
    #expect(trainingSteps(events).map(\.loss) == [1.5, nil, 1.25])
    #expect(trainingSteps(events).map(\.epoch) == [0.1, 0.15, 0.2])
    #expect(notes(events).contains { $0.location.line == 2 })
  }

  @Test("a file of only carriage returns has no records and ends")
  func onlyCarriageReturns() throws {
    let url = try Self.temporary([UInt8](repeating: 0x0D, count: 3_000_000))
    defer { try? FileManager.default.removeItem(at: url) }
    let (events, error) = Self.scan(url.path)
    #expect(error == nil)
    #expect(events.isEmpty)
  }

  @Test("a 200 MB line with no newline, through a pipe, is cut at the cap; the records around it are kept")
  func twoHundredMegabyteLine() throws {
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    let writeEnd = ends[1]
    let writer = Thread {
      var bytes = Array(Self.dict1.utf8)
      bytes.withUnsafeBytes { Self.writeAll(writeEnd, $0) }
      let block = [UInt8](repeating: UInt8(ascii: "#"), count: 1 << 20)
      for _ in 0..<200 { block.withUnsafeBytes { Self.writeAll(writeEnd, $0) } }
      bytes = Array(("\n" + Self.dict2).utf8)
      bytes.withUnsafeBytes { Self.writeAll(writeEnd, $0) }
      close(writeEnd)
    }
    writer.start()
    defer { close(ends[0]) }
    var reader = ChunkReader(fileDescriptor: ends[0], name: "-")
    let scanner = LogScanner(formats: FormatRegistry.consoleFormats())
    var events: [LogEvent] = []
    while let chunk = try reader.next() { scanner.scan(chunk) { events.append($0) } }
    scanner.finish { events.append($0) }
    #expect(trainingSteps(events).map(\.loss) == [1.5, 1.25])
    #expect(trainingSteps(events).map(\.location.line) == [1, 3])
    #expect(notes(events).contains { $0.kind == .cutSegment && $0.location.line == 2 })
    #expect(reader.statistics.cutSegments == 1)
    #expect(reader.statistics.discardedBytes > 190 << 20)
  }

  static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) {
    var written = 0
    while written < bytes.count {
      let result = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
      if result <= 0 { return }
      written += result
    }
  }

  @Test("1e999, -0.0 and 400-digit mantissas parse to what strtod says, without a crash")
  func extremeNumbers() {
    let long = String(repeating: "9", count: 400)
    let cases: [(String, Double)] = [
      ("1e999", .infinity), ("-1e999", -.infinity), ("-0.0", -0.0), ("1e-999", 0),
      ("1" + String(repeating: "0", count: 400), .infinity), (long, .infinity),
      ("0." + String(repeating: "0", count: 399) + "1", 0),
      ("1." + String(repeating: "3", count: 400), 1.3333333333333333),
      ("0." + String(repeating: "0", count: 300) + "125e300", 1.25e-1),
    ]
    for (text, expected) in cases {
      let value = Array(text.utf8).withUnsafeBytes { NumberParser.parseDouble($0) }
      #expect(value == expected, "\(text.prefix(20))…")
      #expect(value?.sign == expected.sign)
    }
  }

  @Test("extreme numbers in a dict keep their row; -0.0 keeps its sign")
  func extremeNumbersInDict() throws {
    let text = "{'loss': 1e999, 'grad_norm': 1\(String(repeating: "0", count: 400)), 'learning_rate': -0.0, 'epoch': 0.1}\n"
    let steps = trainingSteps(try scanEvents(text))
    #expect(steps.count == 1)
    #expect(steps.first?.loss == .infinity)
    #expect(steps.first?.gradNorm == .infinity)
    #expect(steps.first?.learningRate?.sign == .minus)
  }

  @Test("an lr list of 10,000 param groups is read (DeepSpeed) or noted with the row kept (HF)")
  func tenThousandParamGroups() throws {
    let rates = Array(repeating: "3e-05", count: 10_000).joined(separator: ", ")
    let moms = Array(repeating: "(0.9, 0.95)", count: 10_000).joined(separator: ", ")
    let text =
      "[2024-09-15 00:13:21,397] [INFO] [logging.py:96:log_dist] [Rank 0] step=10, skipped=0, lr=[\(rates)], mom=[\(moms)]\n"
      + "{'loss': 1.5, 'learning_rate': [\(rates)], 'epoch': 0.1}\n"
    let events = try scanEvents(text)
    let steps = trainingSteps(events)
    #expect(steps.contains { $0.step == 10 && $0.learningRate == 3e-05 })
    #expect(steps.contains { $0.loss == 1.5 && $0.location.line == 2 })
    let note = try #require(notes(events).first { $0.location.line == 2 })
    #expect(note.message.utf8.count < 200)
  }

  @Test("a DeepSpeed `json = {` block that never closes is abandoned past 1 MiB; the records after it are read")
  func runawayConfigDump() throws {
    let filler = String(repeating: "  \"x\": [" + String(repeating: "1, ", count: 300) + "\n", count: 2_000)
    let events = try scanEvents("[INFO] [config.py:1000:print]   json = {\n" + filler + "}\n" + Self.dict1)
    #expect(notes(events).contains { $0.location.line == 1 && $0.message.contains("longer than 1 MiB") })
    #expect(trainingSteps(events).map(\.loss) == [1.5])
  }

  @Test("100,000 nested brackets: both JSON readers refuse at their depth limit, naming the offset")
  func deepNesting() throws {
    let deep = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
    let lenient = LenientJSONReader.parse(deep)
    guard case .failure(let failure) = lenient else {
      Issue.record("deep nesting was accepted")
      return
    }
    #expect(failure.message.contains("nesting"))
    #expect(failure.offset == LenientJSONReader.maximumDepth)
    deep.withUnsafeBytes { buffer in
      do throws(JSONSyntaxError) {
        _ = try JSONReader.read(buffer)
        Issue.record("deep nesting was accepted")
      } catch {
        #expect(error.message.contains("nesting"))
        #expect(error.line == 1)
      }
    }
  }

  @Test("nesting just inside the limits parses on a thread with a 512 KiB stack")
  func nestingOnSmallStack() async {
    let lenientDepth = LenientJSONReader.maximumDepth
    let orderedDepth = JSONReader.maxDepth - 1
    let lenientText = Array(repeating: UInt8(ascii: "["), count: lenientDepth) + Array(repeating: UInt8(ascii: "]"), count: lenientDepth)
    let orderedText = Array(repeating: UInt8(ascii: "["), count: orderedDepth) + Array(repeating: UInt8(ascii: "]"), count: orderedDepth)
    let parsed: (Bool, Bool) = await withCheckedContinuation { continuation in
      let thread = Thread {
        let lenient = (try? LenientJSONReader.parse(lenientText).get()) != nil
        let ordered = orderedText.withUnsafeBytes { (try? JSONReader.read($0)) != nil }
        continuation.resume(returning: (lenient, ordered))
      }
      thread.stackSize = 512 * 1024
      thread.start()
    }
    #expect(parsed.0)
    #expect(parsed.1)
  }

  @Test("a trainer_state.json cut mid-entry keeps its complete log_history entries and names the cut")
  func cutTrainerState() throws {
    let text = """
      {
        "global_step": 30,
        "log_history": [
          {"epoch": 0.1, "grad_norm": 0.5, "learning_rate": 1e-05, "loss": 2.5, "step": 10},
          {"epoch": 0.2, "grad_norm": 0.6, "learning_rate": 2e-05, "loss": 2.25, "step": 20},
          {"epoch": 0.3, "grad_norm": 0.7, "learning_ra
      """
    let url = try Self.temporary(Array(text.utf8), suffix: "-trainer_state.json")
    defer { try? FileManager.default.removeItem(at: url) }
    var events: [LogEvent] = []
    #expect {
      try TrainerStateReader.read(url.path) { events.append($0) }
    } throws: { error in
      guard let error = error as? InputError else { return false }
      return error.kind == .malformed && error.line == 6 && error.byteOffset == Int64(text.utf8.count)
        && error.description.contains("complete log_history entries read before it: 2")
    }
    #expect(trainingSteps(events).map(\.step) == [10, 20])
    #expect(trainingSteps(events).map(\.location.line) == [4, 5])
  }

  @Test("a DeepSpeed config cut short names its line; nothing half-read is delivered")
  func cutDeepSpeedConfig() throws {
    let text = "{\n  \"train_batch_size\": 16,\n  \"fp16\": {\n    \"enabled\": tr"
    var events: [LogEvent] = []
    #expect {
      try DeepSpeedConfigReader.read(Array(text.utf8), path: "ds.json", into: &events)
    } throws: { error in
      guard let error = error as? InputError else { return false }
      return error.kind == .malformed && error.line == 4 && error.description.hasPrefix("ds.json:4")
    }
    #expect(events.isEmpty)
  }

  @Test("a NUL in a JSON file or a launch script is binary, named by byte")
  func binaryWholeFiles() throws {
    for suffix in ["-trainer_state.json", ".json", ".sh"] {
      let url = try Self.temporary(Array("{\"log_history\": [\0]}".utf8), suffix: suffix)
      defer { try? FileManager.default.removeItem(at: url) }
      #expect {
        try InputLoader.load(url.path) { _ in }
      } throws: { error in
        (error as? InputError)?.kind == .binary && (error as? InputError)?.byteOffset == 17
      }
    }
  }

  @Test("a FIFO is read as a stream; kind detection does not steal its bytes")
  func fifo() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).json").path
    #expect(mkfifo(path, 0o600) == 0)
    defer { unlink(path) }
    #expect(InputKind.detect(path) == .deepSpeedConfig)
    let logPath = path + ".log"
    #expect(mkfifo(logPath, 0o600) == 0)
    defer { unlink(logPath) }
    let writer = Thread {
      let descriptor = open(logPath, O_WRONLY)
      Array((Self.dict1 + Self.dict2).utf8).withUnsafeBytes { Self.writeAll(descriptor, $0) }
      close(descriptor)
    }
    writer.start()
    let (events, error) = Self.scan(logPath)
    #expect(error == nil)
    #expect(trainingSteps(events).map(\.loss) == [1.5, 1.25])
  }

  @Test("a file deleted or truncated while it is read: what was read stays, the reader ends cleanly")
  func disappearsMidRead() throws {
    let text = String(repeating: Self.dict1, count: 200)
    let url = try Self.temporary(Array(text.utf8))
    var reader = try ChunkReader(path: url.path, readSize: 4096)
    let first = try #require(try reader.next())
    #expect(first.bytes.count > 0)
    // Deleted: the open descriptor still reads the whole file (POSIX keeps the inode alive).
    try FileManager.default.removeItem(at: url)
    var total = Int64(first.bytes.count)
    while let chunk = try reader.next() { total += Int64(chunk.bytes.count) }
    #expect(total == Int64(text.utf8.count))

    let truncated = try Self.temporary(Array(text.utf8))
    defer { try? FileManager.default.removeItem(at: truncated) }
    var cutReader = try ChunkReader(path: truncated.path, readSize: 4096)
    let kept = try #require(try cutReader.next()).bytes.count
    #expect(truncate(truncated.path, 0) == 0)
    while try cutReader.next() != nil {}
    #expect(kept > 0)
    #expect(cutReader.statistics.bytesRead < Int64(text.utf8.count))
  }

  @Test(
    "permission denied is reported as such",
    .enabled(if: getuid() != 0, "root reads any file; the case cannot be made as root"))
  func permissionDenied() throws {
    let url = try Self.temporary(Array(Self.dict1.utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(chmod(url.path, 0) == 0)
    let (_, error) = Self.scan(url.path)
    #expect(error?.kind == .permissionDenied)
    #expect(error?.description.contains(url.path) == true)
  }

  @Test("a directory where a file was expected is named as one")
  func directory() {
    let (_, error) = Self.scan(NSTemporaryDirectory())
    #expect(error?.kind == .isDirectory)
  }
}

/// Inputs the fuzz targets found (`Fuzz/Targets`, `scripts/fuzz.sh`), kept as regression tests.
@Suite("Hostile input: fuzz findings")
struct FuzzRegressionTests {
  static func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/fuzz/\(name)")
    return Array(try Data(contentsOf: url))
  }

  @Test("segment-reader: a segment ending within the read that passed the cap is whole, at most cap + one read")
  func segmentCapPlusRead() throws {
    let input = try Self.fixture("segment-reader-cap-plus-read.bin")
    // The fuzz target takes the read size and the cap from the first two bytes.
    let readSize = Int(input[0] % 64) + 1
    let cap = Int(input[1] % 128) + 1
    let (segments, statistics) = try readSegments(Array(input[2...]), readSize: readSize, maxSegmentLength: cap)
    #expect(segments.allSatisfy { $0.text.utf8.count <= cap + readSize })
    #expect(segments.contains { $0.text.utf8.count > cap && !$0.cut })
    #expect(statistics.bytesRead == Int64(input.count - 2))
    #expect(zip(segments, segments.dropFirst()).allSatisfy { $0.line <= $1.line && $0.offset < $1.offset })
  }
}
