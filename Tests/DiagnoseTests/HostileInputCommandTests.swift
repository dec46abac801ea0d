import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Hostile inputs through the built binary: the message on stderr (file, line or byte, what was
/// wrong), the documented exit status, and the rows read before the bad part on stdout.
@Suite("Hostile input: diagnose end to end")
struct HostileInputCommandTests {
  static let dict1 = "{'loss': 1.5, 'grad_norm': 0.5, 'learning_rate': 1e-05, 'epoch': 0.1}\n"
  static let dict2 = "{'loss': 1.25, 'grad_norm': 0.5, 'learning_rate': 2e-05, 'epoch': 0.2}\n"

  /// The loss column of `series` CSV output.
  static func losses(_ result: DiagnoseProcess.Result) -> [String] {
    result.lines.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[4]) }
  }

  @Test("NUL bytes after records: exit 2, the line and byte named, the rows before kept; --binary reads on")
  func nulMidFile() throws {
    let prefix = Self.dict1 + Self.dict2 + "Segmentation fault (core dumped)"
    let url = try DiagnoseProcess.temporaryFile(Array((prefix + "\0\0\0\n" + Self.dict1).utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try DiagnoseProcess.run(["series", url.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("\(url.path):3 (byte \(prefix.utf8.count)): binary file: a NUL byte at line 3"))
    #expect(Self.losses(result) == ["1.5", "1.25"])
    let forced = try DiagnoseProcess.run(["series", "--binary", url.path])
    #expect(forced.status == 0)
    #expect(Self.losses(forced) == ["1.5", "1.25", "1.5"])
  }

  @Test("/dev/zero stops at once as binary, exit 2")
  func devZero() throws {
    let result = try DiagnoseProcess.run(["series", "/dev/zero"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("/dev/zero (byte 0): binary file"))
    let config = try DiagnoseProcess.run(["settings", "--config", "/dev/zero", "/dev/null"])
    #expect(config.status == 2)
    #expect(config.stderr.contains("/dev/zero (byte 0): binary data"))
  }

  @Test("a 200 MB line with no newline on standard input: a warning with its line, the rows around it, exit 0")
  func hugeLineOnStdin() throws {
    var input = Data(Self.dict1.utf8)
    input.append(Data(repeating: UInt8(ascii: "="), count: 200_000_000))
    input.append(Data(("\n" + Self.dict2).utf8))
    let result = try DiagnoseProcess.run(["series", "-"], stdin: input)
    #expect(result.status == 0)
    #expect(result.stderr.contains("-:2: line longer than the"))
    #expect(Self.losses(result) == ["1.5", "1.25"])
  }

  @Test("a file of only carriage returns and a log without records: 'no training records found', exit 0")
  func noRecords() throws {
    let carriage = try DiagnoseProcess.temporaryFile([UInt8](repeating: 0x0D, count: 100_000))
    let noise = try DiagnoseProcess.temporaryFile(Array((1...5_000).map { "line \($0) of output\n" }.joined().utf8))
    defer {
      try? FileManager.default.removeItem(at: carriage)
      try? FileManager.default.removeItem(at: noise)
    }
    for url in [carriage, noise] {
      let series = try DiagnoseProcess.run(["series", url.path])
      #expect(series.status == 0)
      #expect(series.stderr.contains("\(url.path): no training records found (looked for HF Trainer dicts"))
      #expect(series.stderr.contains("Megatron"))
      let report = try DiagnoseProcess.run(["report", url.path])
      #expect(report.status == 0)
      #expect(report.stderr.contains("no training records found"))
    }
  }

  @Test("invalid UTF-8 and extreme numbers: warnings with line numbers, every readable row kept")
  func invalidUTF8AndNumbers() throws {
    let long = String(repeating: "7", count: 400)
    var bytes = Array(Self.dict1.utf8)
    bytes += Array("{'loss': 1.4, 'note': '".utf8) + [0xC3, 0x28, 0xFF] + Array("', 'epoch': 0.15}\n".utf8)
    bytes += Array("{'loss': ".utf8) + [0xC3, 0x28, 0xFF] + Array(", 'epoch': 0.15}\n".utf8)
    bytes += Array("{'loss': 1e999, 'grad_norm': \(long), 'learning_rate': -0.0, 'epoch': 0.2}\n".utf8)
    let url = try DiagnoseProcess.temporaryFile(bytes)
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try DiagnoseProcess.run(["series", "--format", "jsonl", url.path])
    #expect(result.status == 0)
    #expect(result.stderr.contains("\(url.path):3: log dict is cut or malformed"))
    #expect(result.lines.count == 3)
    #expect(result.lines.last?.contains("\"loss\":Infinity") == true)
    #expect(result.lines.last?.contains("\"learning_rate\":-0.0") == true)
  }

  @Test("a trainer_state.json cut by a full disk: exit 2, line and byte named, its whole entries kept")
  func cutTrainerState() throws {
    let text = """
      {
        "global_step": 20,
        "log_history": [
          {"epoch": 0.1, "learning_rate": 1e-05, "loss": 2.5, "step": 10},
          {"epoch": 0.2, "learning_rate": 2e-05, "loss": 2.25, "step": 20},
          {"epoch": 0.3, "learn
      """
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("trainer_state.json")
    try Data(text.utf8).write(to: url)
    let result = try DiagnoseProcess.run(["series", url.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("\(url.path):6 (byte \(text.utf8.count)): not valid JSON"))
    #expect(result.stderr.contains("complete log_history entries read before it: 2"))
    #expect(Self.losses(result) == ["2.5", "2.25"])
  }

  @Test("deeply nested and cut DeepSpeed configs: exit 2 with the line, no stack overflow")
  func hostileDeepSpeedConfigs() throws {
    let deep = try DiagnoseProcess.temporaryFile(
      Array(("{\"zero_optimization\": " + String(repeating: "[", count: 200_000)).utf8), suffix: ".json")
    let cut = try DiagnoseProcess.temporaryFile(
      Array("{\n  \"train_batch_size\": 64,\n  \"gradient_accumulation_steps\": ".utf8), suffix: ".json")
    defer {
      try? FileManager.default.removeItem(at: deep)
      try? FileManager.default.removeItem(at: cut)
    }
    let nested = try DiagnoseProcess.run(["settings", "--config", deep.path, "/dev/null"])
    #expect(nested.status == 2)
    #expect(nested.stderr.contains("\(deep.path):1 (byte"))
    #expect(nested.stderr.contains("nesting deeper than"))
    let short = try DiagnoseProcess.run(["settings", "--config", cut.path, "/dev/null"])
    #expect(short.status == 2)
    #expect(short.stderr.contains("\(cut.path):3 (byte"))
    #expect(short.stderr.contains("unexpected end of input"))
  }

  @Test("a directory and a FIFO where a file was expected")
  func directoryAndFIFO() throws {
    let directory = try DiagnoseProcess.run(["series", NSTemporaryDirectory()])
    #expect(directory.status == 2)
    #expect(directory.stderr.contains("Is a directory"))
    let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).log").path
    #expect(mkfifo(fifo, 0o600) == 0)
    defer { unlink(fifo) }
    let writer = Thread {
      let descriptor = open(fifo, O_WRONLY)
      let text = Array((Self.dict1 + Self.dict2).utf8)
      text.withUnsafeBytes { _ = write(descriptor, $0.baseAddress, $0.count) }
      close(descriptor)
    }
    writer.start()
    let result = try DiagnoseProcess.run(["series", fifo])
    #expect(result.status == 0)
    #expect(Self.losses(result) == ["1.5", "1.25"])
  }

  @Test("a missing input among good ones: exit 2 naming it; the other inputs are still read")
  func missingAmongGood() throws {
    let url = try DiagnoseProcess.temporaryFile(Array(Self.dict1.utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try DiagnoseProcess.run(["series", "/nonexistent/train.log", url.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("/nonexistent/train.log: No such file or directory"))
    #expect(Self.losses(result) == ["1.5"])
  }

  @Test("inputs are opened read-only: LogParse, which opens every input, never opens a file for writing")
  func readOnly() throws {
    // The commands write only what the user names as output (--output, --metrics-file).
    let sources = DiagnoseProcess.packageRoot.appendingPathComponent("Sources/LogParse")
    let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") } ?? []
    #expect(files.count > 40)
    for file in files {
      let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      for flag in ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "fopen("] {
        #expect(!text.contains(flag), "\(file) uses \(flag)")
      }
    }
  }
}
