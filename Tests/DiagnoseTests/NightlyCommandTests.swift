import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `diagnose nightly` over generated folders of runs, as a CI job runs it.
@Suite("diagnose nightly")
struct NightlyCommandTests {
  /// An HF console log of `steps` records; `spikeAt` multiplies one loss by 4, `nanFrom` prints nan after.
  static func hfLog(steps: Int = 300, seed: UInt64, spikeAt: Int? = nil, nanFrom: Int? = nil) -> String {
    var text =
      "[INFO|trainer.py:1975] 2024-05-01 00:00:01,000 >>   Total train batch size (w. parallel, distributed & accumulation) = 32\n"
    var state = seed
    for step in 1...steps {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let noise = Double(state >> 33) / Double(1 << 31) - 0.5
      var loss = (2.0 + 2.0 * Foundation.exp(-Double(step) / 60)) * (1 + 0.03 * noise)
      if step == spikeAt { loss *= 4 }
      let printed = nanFrom.map { step >= $0 } == true ? "nan" : String(loss)
      text += "{'loss': \(printed), 'grad_norm': 0.8, 'learning_rate': 2e-05, 'epoch': \(Double(step) / 1000)}\n"
    }
    return text
  }

  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nightly-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static func write(_ text: String, _ folder: URL, _ path: String) throws {
    let url = folder.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  static func runNightly(_ folder: URL, _ extra: [String] = []) throws -> (
    DiagnoseProcess.Result, [String: Any], String
  ) {
    let html = folder.appendingPathComponent("report.html")
    let json = folder.appendingPathComponent("summary.json")
    let result = try DiagnoseProcess.run(["nightly", folder.path, "--output", html.path, "--json", json.path] + extra)
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any] ?? [:]
    return (result, object, try String(contentsOf: html, encoding: .utf8))
  }

  @Test("every run is listed, diverged runs first, the page parses as XML and the exit status follows --fail-on")
  func listsEveryRunWorstFirst() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for index in 0..<4 { try Self.write(Self.hfLog(seed: UInt64(index)), folder, "healthy-\(index)/train.log") }
    try Self.write(Self.hfLog(seed: 10, spikeAt: 150), folder, "spiky/train.log")
    try Self.write(Self.hfLog(seed: 11, nanFrom: 200), folder, "nan/train.log")
    let state = """
      {"global_step": 20, "log_history": [
        {"epoch": 0.1, "grad_norm": 1.0, "learning_rate": 1e-05, "loss": 2.5, "step": 10},
        {"epoch": 0.2, "grad_norm": 1.0, "learning_rate": 1e-05, "loss": 2.4, "step": 20}]}
      """
    try Self.write(state, folder, "hf-out/checkpoint-20/trainer_state.json")
    try Data([0, 1, 2, 3]).write(to: folder.appendingPathComponent("hf-out/checkpoint-20/model.safetensors"))
    try Self.write("{\"train_micro_batch_size_per_gpu\": 4}", folder, "ds_config.json")

    let (result, json, html) = try Self.runNightly(folder)
    #expect(result.status == 1, "the NaN run is critical: \(result.stderr)")
    let runs = json["runs"] as? [[String: Any]] ?? []
    let sources = runs.compactMap { $0["source"] as? String }
    #expect(runs.count == 7)
    #expect(sources.first == folder.appendingPathComponent("nan/train.log").path)
    #expect(runs.first?["verdict"] as? String == "diverged")
    #expect(runs.dropFirst().first?["verdict"] as? String == "unstable")
    #expect(sources.contains(folder.appendingPathComponent("hf-out").path), "the output_dir is one run")
    let problems = try JSONSchemaSubset(url: ReportCommandTests.schemaURL).validate(json)
    #expect(problems.isEmpty, "\(problems)")
    let summary = json["summary"] as? [String: Any] ?? [:]
    #expect((summary["verdicts"] as? [String: Int])?["healthy"] == 5)
    let skipped = summary["skipped"] as? [[String: String]] ?? []
    #expect(
      skipped.contains { $0["path"]?.hasSuffix("ds_config.json") == true && $0["reason"] == "a JSON config, not a run" }
    )
    #expect(
      !skipped.contains { $0["path"]?.contains("checkpoint-20") == true }, "checkpoint contents belong to the run")
    // The index links every run, in the same order.
    let rows = html.components(separatedBy: "<tr><td><a href=\"#run-").dropFirst()
    #expect(rows.count == 7)
    #expect(rows.first?.contains("nan/train.log") == true)
    #expect(html.contains("class=\"sparkline\""))
    #expect(!html.contains("new since last night"), "no column without --previous")
    let parser = XMLParser(data: Data(html.utf8))
    #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")

    let (never, _, _) = try Self.runNightly(folder, ["--fail-on", "never"])
    #expect(never.status == 0)
  }

  @Test(
    "an unreadable file, a binary file and an empty log are listed as skipped with the reason; the rest is reported")
  func skipsWithReasons() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.write(Self.hfLog(seed: 3), folder, "good/train.log")
    try Data([0x7B, 0x00, 0x01, 0x02, 0xFF]).write(to: folder.appendingPathComponent("core.log"))
    try Data().write(to: folder.appendingPathComponent("empty.log"))
    // A link to nothing cannot be read by anyone (permissions do not stop root).
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent("gone.log").path, withDestinationPath: "/nonexistent/train.log")

    let (result, json, html) = try Self.runNightly(folder)
    #expect(result.status == 0)
    let runs = json["runs"] as? [[String: Any]] ?? []
    #expect(runs.map { $0["source"] as? String } == [folder.appendingPathComponent("good/train.log").path])
    let skipped = (json["summary"] as? [String: Any])?["skipped"] as? [[String: String]] ?? []
    func reason(_ name: String) -> String? { skipped.first { $0["path"]?.hasSuffix("/" + name) == true }?["reason"] }
    #expect(reason("core.log") == "binary file (NUL bytes in its first block)")
    #expect(reason("empty.log") == "empty file")
    #expect(reason("gone.log")?.hasPrefix("no such file") == true, "\(skipped)")
    #expect(html.contains("<h3>Skipped</h3>"))
    #expect(result.stderr.contains("skipped \(folder.appendingPathComponent("empty.log").path): empty file"))
  }

  @Test("--previous marks a new run and a run that became diverged, and nothing else")
  func marksWhatIsNew() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let runs = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: runs) }
    try Self.write(Self.hfLog(seed: 1), runs, "a/train.log")
    try Self.write(Self.hfLog(seed: 2), runs, "b/train.log")
    let last = folder.appendingPathComponent("last.json")
    _ = try DiagnoseProcess.run([
      "nightly", runs.path, "--output", folder.appendingPathComponent("0.html").path, "--json", last.path,
    ])

    try Self.write(Self.hfLog(seed: 2, nanFrom: 250), runs, "b/train.log")
    try Self.write(Self.hfLog(seed: 3), runs, "c/train.log")
    let json = folder.appendingPathComponent("now.json")
    let result = try DiagnoseProcess.run([
      "nightly", runs.path, "--output", folder.appendingPathComponent("1.html").path, "--json", json.path, "--previous",
      last.path,
    ])
    #expect(result.status == 1)
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any] ?? [:]
    let new = (object["summary"] as? [String: Any])?["new"] as? [[String: Any]] ?? []
    let changes = new.map {
      "\(($0["source"] as? String ?? "").dropFirst(runs.path.count)): \($0["what"] as? String ?? "")"
    }
    #expect(changes.contains("/b/train.log: became diverged (was healthy)"))
    #expect(changes.contains("/b/train.log: new nan at step 250"))
    #expect(changes.contains("/c/train.log: new run"))
    #expect(!changes.contains { $0.hasPrefix("/a/") }, "\(changes)")
    let html = try String(contentsOf: folder.appendingPathComponent("1.html"), encoding: .utf8)
    #expect(html.contains("<th>new since last night</th>"))
    #expect(html.contains("<td>became diverged (was healthy); new nan at step 250</td>"))
    #expect(html.components(separatedBy: "<span class=\"new\">NEW</span>").count - 1 == 2, "b and c, not a")
  }
}
