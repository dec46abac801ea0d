import Foundation
import Testing

/// `diagnose series` and `diagnose settings` on the HF family's inputs, as a user runs them.
@Suite("HF inputs, end to end")
struct HuggingFaceCommandTests {
  static let state = """
    {
      "global_step": 30,
      "log_history": [
        {"epoch": 0.1, "grad_norm": 1.5, "learning_rate": 1e-05, "loss": 2.5, "step": 10},
        {"epoch": 0.2, "grad_norm": NaN, "learning_rate": 2e-05, "loss": 0.0, "step": 20},
        {"epoch": 0.3, "grad_norm": Infinity, "learning_rate": 3e-05, "loss": NaN, "step": 30}
      ],
      "logging_steps": 10,
      "max_steps": 30,
      "train_batch_size": 4
    }

    """

  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("diagnose-hf-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static func write(_ text: String, _ url: URL) throws -> String {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  @Test("series on a trainer_state.json with NaN entries prints nan (CSV) and NaN (JSON Lines), no error")
  func nanEntries() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try Self.write(Self.state, folder.appendingPathComponent("trainer_state.json"))
    let csv = try DiagnoseProcess.run(["series", path])
    #expect(csv.status == 0)
    #expect(csv.stderr.isEmpty)
    #expect(
      Array(csv.lines.dropFirst()) == [
        "\(path),4,10,0.1,2.5,1.5,1e-05,logged,1,,,0,,", "\(path),5,20,0.2,0.0,nan,2e-05,logged,1,,,0,,",
        "\(path),6,30,0.3,nan,inf,3e-05,logged,1,,,0,,",
      ])
    let jsonl = try DiagnoseProcess.run(["series", "--format", "jsonl", path])
    #expect(jsonl.status == 0)
    #expect(jsonl.lines[1].contains("\"loss\":0.0,\"grad_norm\":NaN"))
    #expect(jsonl.lines[2].contains("\"loss\":NaN,\"grad_norm\":Infinity"))
  }

  @Test(
    "a cut trainer_state.json and one that is not JSON: a message each with the byte offset, exit 2, the others still read"
  )
  func badStates() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let cut = try Self.write(String(Self.state.prefix(120)), folder.appendingPathComponent("cut/trainer_state.json"))
    let notJSON = try Self.write(
      "<html>502 Bad Gateway</html>\n", folder.appendingPathComponent("web/trainer_state.json"))
    let good = try Self.write(Self.state, folder.appendingPathComponent("good/trainer_state.json"))
    let result = try DiagnoseProcess.run(["series", cut, notJSON, good])
    #expect(result.status == 2)
    let messages = result.stderr.split(separator: "\n").map(String.init)
    #expect(
      messages == [
        "diagnose: \(cut):4 (byte 120): not valid JSON: the file ends inside the string that starts at byte 116 (cut short?)",
        "diagnose: \(notJSON):1 (byte 0): not valid JSON: unexpected '<' where a value was expected",
      ])
    #expect(result.lines.count == 4)
    #expect(result.lines.last?.hasPrefix("\(good),6,30,") == true)
  }

  @Test("an output_dir reads its newest checkpoint")
  func outputDirectory() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try Self.write(Self.state, folder.appendingPathComponent("checkpoint-30/trainer_state.json"))
    let result = try DiagnoseProcess.run(["series", folder.path])
    #expect(result.status == 0)
    #expect(result.lines.dropFirst().map { $0.split(separator: ",")[2] } == ["10", "20", "30"])
  }

  static let restartedLog = """
    ***** Running training *****
      Num examples = 1,000
      Num Epochs = 1
      Instantaneous batch size per device = 4
      Total train batch size (w. parallel, distributed & accumulation) = 32
      Gradient Accumulation steps = 2
      Total optimization steps = 31
    {'loss': 2.0, 'learning_rate': 1e-05, 'epoch': 0.3}
    {'loss': 1.8, 'learning_rate': 1e-05, 'epoch': 0.6}
    ***** Running training *****
      Num examples = 1,000
      Num Epochs = 1
      Instantaneous batch size per device = 4
      Total train batch size (w. parallel, distributed & accumulation) = 32
      Gradient Accumulation steps = 2
      Total optimization steps = 31
    {'loss': 2.1, 'learning_rate': 1e-05, 'epoch': 0.3}

    """

  @Test("series: a second banner after logged steps is run 2")
  func runColumn() throws {
    let url = try DiagnoseProcess.temporaryFile(Array(Self.restartedLog.utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try DiagnoseProcess.run(["series", "--logging-steps", "10", url.path])
    #expect(result.status == 0)
    let rows = result.lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(rows.map { $0[2] } == ["10", "20", "10"])
    #expect(rows.map { $0[8] } == ["1", "1", "2"])
  }

  @Test("settings: each value with its source line; world size derived with its arithmetic (text and JSON)")
  func settings() throws {
    let url = try DiagnoseProcess.temporaryFile(Array(Self.restartedLog.utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    let text = try DiagnoseProcess.run(["settings", url.path])
    #expect(text.status == 0)
    let batch = try #require(text.lines.first { $0.hasPrefix("total_batch_size ") })
    #expect(batch.hasSuffix("hf-banner  \(url.path):5"))
    let derivedLine = try #require(text.lines.last)
    #expect(derivedLine.split(separator: " ").prefix(3) == ["world_size", "4", "derived"])
    #expect(
      derivedLine.hasSuffix(
        "derived  world_size 4 = total_batch_size 32 ÷ (per_device_train_batch_size 4 × gradient_accumulation_steps 2)")
    )
    let json = try DiagnoseProcess.run(["settings", "--format", "json", url.path])
    #expect(json.status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let stated = try #require(object["settings"] as? [[String: Any]])
    let steps = try #require(stated.first { $0["name"] as? String == "max_steps" })
    #expect(steps["value"] as? Int == 31)
    #expect(steps["line"] as? Int == 7)
    #expect(steps["source"] as? String == "hf-banner")
    #expect(steps["text"] as? String == "Total optimization steps = 31")
    let derived = try #require((object["derived"] as? [[String: Any]])?.first)
    #expect(
      derived["name"] as? String == "world_size" && derived["value"] as? Int == 4 && derived["derived"] as? Bool == true
    )
  }

  @Test("settings on a trainer_state.json says GAS and world size are not in it")
  func trainerStateSettings() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try Self.write(Self.state, folder.appendingPathComponent("trainer_state.json"))
    let result = try DiagnoseProcess.run(["settings", path])
    #expect(result.status == 0)
    #expect(result.lines.first?.hasPrefix("per_device_train_batch_size 4") == true)
    #expect(result.lines.contains { $0.hasPrefix("gradient_accumulation_steps unknown") })
    #expect(result.lines.contains { $0.hasPrefix("world_size") && $0.contains("not stored in trainer_state.json") })
  }

  @Test(
    "07: settings states the banner's per-device 6, total 6, GAS 1, 5,490 steps, and world size 1 derived",
    .enabled(if: SharedCorpus.isAvailable, "../shared is not present"))
  func corpus07() throws {
    let file = try #require(SharedCorpus.file("07-"))
    let result = try DiagnoseProcess.run(["settings", file.path])
    #expect(result.status == 0)
    let banner = result.lines.filter { $0.contains(" hf-banner ") }.map {
      $0.split(separator: " ").prefix(2).joined(separator: " ")
    }
    #expect(
      banner == [
        "num_examples 3290", "num_train_epochs 10", "per_device_train_batch_size 6", "total_batch_size 6",
        "gradient_accumulation_steps 1", "max_steps 5490", "trainable_parameters 424102912",
      ])
    #expect(result.lines.last?.hasPrefix("world_size                  1              derived") == true)
  }
}
