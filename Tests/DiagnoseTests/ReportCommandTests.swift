import Foundation
import Testing

@Suite("diagnose report")
struct ReportCommandTests {
  static let schemaURL = DiagnoseProcess.packageRoot.appendingPathComponent("schemas/diagnose.report.v1.schema.json")

  func json(_ result: DiagnoseProcess.Result) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  func runs(_ object: [String: Any]) -> [[String: Any]] { object["runs"] as? [[String: Any]] ?? [] }

  /// An HF log whose loss spikes once (3×) at record 120 of 200.
  static func spikyLog() -> [UInt8] {
    var text = ""
    var state: UInt64 = 42
    for step in 1...200 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let noise = Double(state >> 33) / Double(1 << 31) - 0.5
      var loss = (2.0 + 2.0 * Foundation.exp(-Double(step) / 50)) * (1 + 0.04 * noise)
      if step == 120 { loss *= 3 }
      text += "{'loss': \(loss), 'grad_norm': 0.9, 'learning_rate': 1e-05, 'epoch': \(Double(step) / 400)}\n"
    }
    return Array(text.utf8)
  }

  @Test("corpus 07 is healthy and exits 0", .enabled(if: SharedCorpus.isAvailable, "needs ../shared"))
  func healthyCorpus() throws {
    let file = try #require(SharedCorpus.file("07-"))
    let text = try DiagnoseProcess.run(["report", file.path])
    #expect(text.status == 0)
    #expect(text.stdout.contains("verdict: HEALTHY"))
    let result = try DiagnoseProcess.run(["report", "--format", "json", file.path])
    #expect(result.status == 0)
    let run = try #require(runs(try json(result)).first)
    #expect(run["verdict"] as? String == "healthy")
    #expect(run["first_bad_step"] is NSNull)
  }

  @Test(
    "NaN disguised as loss 0.0 (corpus 14, 26) is a critical nan and the run diverged",
    .enabled(if: SharedCorpus.isAvailable, "needs ../shared"), arguments: ["14-", "26-"])
  func disguisedNaN(prefix: String) throws {
    let file = try #require(SharedCorpus.file(prefix))
    let result = try DiagnoseProcess.run(["report", "--format", "json", file.path])
    #expect(result.status == 1)
    let run = try #require(runs(try json(result)).first)
    #expect(run["verdict"] as? String == "diverged")
    #expect(run["first_bad_step"] as? Int == 1)
    let findings = run["findings"] as? [[String: Any]] ?? []
    let nan = try #require(findings.first { $0["kind"] as? String == "nan" })
    #expect(nan["severity"] as? String == "critical")
    let evidence = nan["evidence"] as? [[String: Any]] ?? []
    #expect(evidence.first?["source"] as? String == file.path)
    #expect((evidence.first?["line"] as? Int ?? 0) >= 1)
  }

  @Test(
    "a grad-norm spike in a 13-record excerpt (corpus 28) is a warning; the run stays healthy",
    .enabled(if: SharedCorpus.isAvailable, "needs ../shared"))
  func shortExcerptGradNormSpike() throws {
    let file = try #require(SharedCorpus.file("28-"))
    let result = try DiagnoseProcess.run(["report", "--format", "json", file.path])
    #expect(result.status == 0)
    let run = try #require(runs(try json(result)).first)
    #expect(run["verdict"] as? String == "healthy")
    let findings = run["findings"] as? [[String: Any]] ?? []
    let spike = try #require(findings.first { $0["kind"] as? String == "grad_norm_spike" })
    #expect(spike["step"] as? Int == 8)
    #expect(spike["severity"] as? String == "warning")
    #expect(try DiagnoseProcess.run(["report", "--fail-on", "warning", file.path]).status == 1)
  }

  @Test("a loss spike is found at its step, and --fail-on decides the exit status")
  func spikeAndFailOn() throws {
    let url = try DiagnoseProcess.temporaryFile(Self.spikyLog())
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try DiagnoseProcess.run(["report", "--format", "json", url.path])
    #expect(result.status == 1)
    let run = try #require(runs(try json(result)).first)
    #expect(run["verdict"] as? String == "unstable")
    #expect(run["first_bad_step"] as? Int == 120)
    let spike = try #require((run["findings"] as? [[String: Any]])?.first { $0["kind"] as? String == "loss_spike" })
    #expect(spike["recovery"] as? String == "fast")
    #expect(try DiagnoseProcess.run(["report", "--fail-on", "never", url.path]).status == 0)
    let text = try DiagnoseProcess.run(["report", url.path])
    #expect(text.stdout.contains("verdict: UNSTABLE, first bad step 120"))
    #expect(text.stdout.contains("loss_spike"))
  }

  @Test("an unreadable input exits 2 and the readable ones are still reported")
  func inputError() throws {
    let url = try DiagnoseProcess.temporaryFile(Self.spikyLog())
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try DiagnoseProcess.run(["report", "--format", "json", "/nonexistent/train.log", url.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("/nonexistent/train.log"))
    #expect(runs(try json(result)).count == 1)
  }

  @Test("the JSON output satisfies the committed schema")
  func schema() throws {
    let url = try DiagnoseProcess.temporaryFile(Self.spikyLog())
    defer { try? FileManager.default.removeItem(at: url) }
    var files = [url.path]
    for prefix in ["07-", "14-", "26-", "24-"] { if let file = SharedCorpus.file(prefix) { files.append(file.path) } }
    let result = try DiagnoseProcess.run(["report", "--format", "json"] + files)
    let object = try json(result)
    #expect(object["schema"] as? String == "diagnose.report/1")
    let problems = try JSONSchemaSubset(url: Self.schemaURL).validate(object)
    #expect(problems.isEmpty, "\(problems)")
    // The full validator too, where Python's jsonschema is installed.
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let output = try DiagnoseProcess.temporaryFile(Array(result.stdout.utf8), suffix: ".json")
    defer { try? FileManager.default.removeItem(at: output) }
    python.arguments = [
      "python3", "-c",
      "import json,sys\ntry:\n import jsonschema\nexcept ImportError:\n sys.exit(3)\n"
        + "jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))",
      Self.schemaURL.path, output.path,
    ]
    python.standardError = FileHandle.nullDevice
    guard (try? python.run()) != nil else { return }
    python.waitUntilExit()
    // 3: jsonschema missing, 127: no python3; both skip this half.
    if python.terminationStatus != 3 && python.terminationStatus != 127 {
      #expect(python.terminationStatus == 0, "python jsonschema rejected the report")
    }
  }
}
