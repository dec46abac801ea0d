import Foundation
import LogParse
import Testing

@testable import Analysis

/// The detectors are online: what they raise at a step depends only on what came before it, and a
/// log fed in small appends gives the same findings as the whole file.
@Suite("Online property")
struct OnlinePropertyTests {
  /// HF dict lines for a synthetic log (the `trainingStep` events; others are left out).
  static func hfText(_ log: ExampleLog) -> String {
    var text = ""
    func number(_ value: Double) -> String {
      value.isNaN ? "nan" : value.isInfinite ? (value < 0 ? "-inf" : "inf") : "\(value)"
    }
    for case .trainingStep(let step) in log.events {
      var fields: [String] = []
      if let loss = step.loss { fields.append("'loss': \(number(loss))") }
      if let grad = step.gradNorm { fields.append("'grad_norm': \(number(grad))") }
      if let lr = step.learningRate { fields.append("'learning_rate': \(number(lr))") }
      if let epoch = step.epoch { fields.append("'epoch': \(number(epoch))") }
      text += "{" + fields.joined(separator: ", ") + "}\n"
    }
    return text
  }

  static let logs: [(String, ExampleLog)] = [
    (
      "spikes, drift and NaN",
      ExampleLog(
        steps: 700, seed: 77, noise: 0.04, warmupSteps: 40,
        injections: [
          .spike(step: 200, factor: 4, gradFactor: 5), .spike(step: 330, factor: 2.5, recoverySteps: 30),
          .divergence(step: 450, logSlope: 0.01), .nan(step: 640, filter: true),
        ])
    ),
    (
      "epochs and a late spike",
      ExampleLog(
        steps: 600, seed: 78, noise: 0.05,
        injections: [.epochs(stepsPerEpoch: 200, dropFactor: 0.7), .spike(step: 500, factor: 3)])
    ),
  ]

  static func write(_ text: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("online-\(UUID().uuidString).log")
    try Data(text.utf8).write(to: url)
    return url
  }

  static func diagnose(path: String, readSize: Int) throws -> [RunDiagnosis] {
    var analyzer = RunAnalyzer(source: "log")
    _ = try LogScanner.scanFile(path, readSize: readSize) { analyzer.add($0) }
    return analyzer.finish()
  }

  /// What identifies a finding and everything it says.
  static func signature(_ runs: [RunDiagnosis]) -> [String] {
    runs.flatMap { run in
      ["run \(run.run) \(run.verdict.rawValue) \(String(describing: run.firstBadStep))"]
        + run.findings.map {
          "\($0.kind.rawValue) \($0.severity.rawValue) \($0.step)-\($0.endStep) \(String(describing: $0.value)) \($0.message) \($0.evidence.map(\.line))"
        }
    }
  }

  static func files() throws -> [(String, URL, Bool)] {
    var files = try logs.map { ($0.0, try write(hfText($0.1)), true) }
    if let root = SharedCorpus.root {
      for run in ["02b-diverge-nan", "03-spikes-corrupt-batches"] {
        files.append((run, root.appendingPathComponent("runs/\(run)/train.log"), false))
      }
    }
    return files
  }

  @Test("a log read in appends of 61 bytes gives the same report as read whole")
  func smallAppends() throws {
    for (name, url, temporary) in try Self.files() {
      defer { if temporary { try? FileManager.default.removeItem(at: url) } }
      let whole = try Self.diagnose(path: url.path, readSize: 1 << 20)
      let appended = try Self.diagnose(path: url.path, readSize: 61)
      #expect(!whole.flatMap(\.findings).isEmpty, "\(name): nothing found, the comparison would be empty")
      #expect(Self.signature(whole) == Self.signature(appended), "\(name)")
    }
  }

  @Test("what is raised by a step does not depend on the events after it (no look-ahead)")
  func noLookAhead() throws {
    for (name, log) in Self.logs {
      let events = log.events
      var full = RunAnalyzer(source: "log")
      var raisedBy: [(events: Int, findings: [String])] = []
      for (index, event) in events.enumerated() {
        full.add(event)
        if index % 37 == 0 || index == events.count - 1 {
          raisedBy.append((index + 1, full.findingsSoFar.map { "\($0.kind.rawValue)@\($0.step)/\($0.raisedAtStep)" }))
        }
      }
      #expect(raisedBy.last!.findings.count >= 4, "\(name)")
      // A fresh analyzer fed only the prefix raises exactly what the full one had raised by then.
      for (count, expected) in raisedBy {
        var prefix = RunAnalyzer(source: "log")
        for event in events[..<count] { prefix.add(event) }
        #expect(prefix.findingsSoFar.map { "\($0.kind.rawValue)@\($0.step)/\($0.raisedAtStep)" } == expected)
        // …and nothing was raised before the step it is about.
        #expect(prefix.findingsSoFar.allSatisfy { $0.raisedAtStep >= $0.step })
      }
    }
  }
}
