import Foundation
import Testing

@Suite("diagnose series, end to end")
struct SeriesCommandTests {
  static let header =
    "source,line,step,epoch,loss,grad_norm,learning_rate,step_basis,run,loss_scale,skipped,overflow,global_batch_size,rank"

  @Test("the sample log gives one CSV row per training dict (numbered by its logging_steps), none for evals or the summary")
  func sampleLog() throws {
    let result = try DiagnoseProcess.run(["series", "SampleLogs/hf-sft-console.log"])
    #expect(result.status == 0)
    #expect(result.lines.first == Substring(Self.header))
    let rows = result.lines.dropFirst()
    #expect(rows.count == 30)
    #expect(rows.allSatisfy { $0.hasPrefix("SampleLogs/hf-sft-console.log,") && $0.hasSuffix(",logging_steps,1,,,0,,") })
    #expect(result.stderr.isEmpty)
  }

  @Test("--logging-steps numbers the rows k × N")
  func loggingSteps() throws {
    let result = try DiagnoseProcess.run(["series", "--logging-steps", "10", "SampleLogs/hf-sft-console.log"])
    let steps = result.lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] }
    #expect(steps.prefix(3) == ["10", "20", "30"])
    #expect(steps.last == "300")
  }

  @Test(
    "07 prints exactly its ten training dicts, none of its eval or summary dicts",
    .enabled(if: SharedCorpus.isAvailable, "../shared is not present"))
  func corpus07() throws {
    let file = try #require(SharedCorpus.file("07-"))
    let result = try DiagnoseProcess.run(["series", file.path])
    #expect(result.status == 0)
    let rows = result.lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(rows.count == 10)
    #expect(rows.map { $0[4] } == ["1.1409", "0.6419", "0.5212", "0.4477", "0.3979", "0.3643", "0.3238", "0.2993", "0.2735", "0.2645"])
    #expect(rows.first?[1] == "324")
    #expect(rows.first?[5] == "2.757542133331299")
    #expect(rows.first?[3] == "0.91")
  }

  @Test(
    "14 prints its thirteen dicts with loss 0.0 and grad_norm nan kept as such",
    .enabled(if: SharedCorpus.isAvailable, "../shared is not present"))
  func corpus14() throws {
    let file = try #require(SharedCorpus.file("14-"))
    let result = try DiagnoseProcess.run(["series", "--format", "jsonl", file.path])
    #expect(result.status == 0)
    #expect(result.lines.count == 13)
    #expect(result.lines.allSatisfy { $0.contains("\"loss\":0.0,\"grad_norm\":NaN") })
    #expect(result.lines.last?.contains("\"learning_rate\":0.00020714285714285716") == true)
  }

  @Test("JSON Lines rows parse as JSON when values are finite")
  func jsonLinesParse() throws {
    let result = try DiagnoseProcess.run(["series", "--format", "jsonl", "SampleLogs/hf-sft-console.log"])
    let first = try #require(result.lines.first)
    let object = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
    // The sample's TrainingArguments dump states logging_steps=10.
    #expect(object?["step"] as? Int == 10)
    #expect(object?["run"] as? Int == 1)
    #expect(object?["source"] as? String == "SampleLogs/hf-sft-console.log")
    #expect((object?["loss"] as? Double).map { $0 > 1.5 } == true)
  }

  @Test("standard input is read as '-'")
  func standardInput() throws {
    let log = "{'loss': 2.5, 'learning_rate': 0.001, 'epoch': 0.5}\r\n"
    let result = try DiagnoseProcess.run(["series", "-"], stdin: Data(log.utf8))
    #expect(result.status == 0)
    #expect(result.lines.last == "-,1,1,0.5,2.5,,0.001,order,1,,,0,,")
  }

  @Test("a missing file and a directory: one clear line each naming the path, exit 2, other files still read")
  func badPaths() throws {
    let result = try DiagnoseProcess.run(["series", "/nonexistent/run.log", "/tmp", "SampleLogs/hf-sft-console.log"])
    #expect(result.status == 2)
    let messages = result.stderr.split(separator: "\n")
    #expect(messages.count == 2)
    #expect(messages.first == "diagnose: /nonexistent/run.log: No such file or directory")
    #expect(messages.last == "diagnose: /tmp: Is a directory, with no trainer_state.json in it or in checkpoint-N/ folders under it")
    #expect(result.lines.count == 31)
  }

  @Test("a file that fails while being read is reported, exit 2")
  func unreadableFile() throws {
    // /proc/self/mem opens but cannot be read at offset 0 (EIO), even as root.
    let result = try DiagnoseProcess.run(["series", "/proc/self/mem"])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("diagnose: /proc/self/mem: "))
    #expect(result.lines == [Substring(Self.header)])
  }

  @Test("a file without read permission is reported, exit 2", .enabled(if: getuid() != 0, "root reads any file"))
  func permissionDenied() throws {
    let url = try DiagnoseProcess.temporaryFile(Array("{'loss': 1.0, 'learning_rate': 0.1}\n".utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: url.path)
    let result = try DiagnoseProcess.run(["series", url.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("Permission denied"))
  }

  @Test("a binary file is skipped with a message; forced, it gives no garbage rows and no crash")
  func binaryFile() throws {
    var bytes: [UInt8] = []
    var state: UInt32 = 12345
    for _ in 0..<200_000 {
      state = state &* 1_103_515_245 &+ 12345
      bytes.append(UInt8(truncatingIfNeeded: state >> 16))
    }
    let url = try DiagnoseProcess.temporaryFile(bytes, suffix: ".bin")
    defer { try? FileManager.default.removeItem(at: url) }
    let skipped = try DiagnoseProcess.run(["series", url.path])
    #expect(skipped.status == 2)
    #expect(skipped.stderr.contains("binary file"))
    #expect(skipped.lines == [Substring(Self.header)])
    let forced = try DiagnoseProcess.run(["series", "--binary", url.path])
    #expect(forced.status == 0)
    #expect(forced.lines == [Substring(Self.header)])
  }
}
