import Analysis
import Foundation

/// Last night's `--json` summary, to mark what is new tonight: a run not seen before, a verdict
/// that got worse, a warning or critical finding not there before (same kind at the same step).
struct PreviousSummary {
  private var verdicts: [String: String] = [:]
  private var findings: [String: Set<String>] = [:]

  /// Reads a summary written by `diagnose nightly --json` (or `report --format json`).
  init(contentsOf path: String) throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      let runs = object["runs"] as? [[String: Any]]
    else { throw CocoaError(.propertyListReadCorrupt) }
    for run in runs {
      guard let source = run["source"] as? String, let index = run["run"] as? Int else { continue }
      let key = Self.key(source, index)
      verdicts[key] = run["verdict"] as? String
      var seen = Set<String>()
      for finding in run["findings"] as? [[String: Any]] ?? [] {
        if let kind = finding["kind"] as? String, let step = finding["step"] as? Int { seen.insert("\(kind)@\(step)") }
      }
      findings[key] = seen
    }
  }

  /// What is new in `run` since last night, in words; empty when nothing is.
  func changes(_ run: RunDiagnosis) -> [String] {
    let key = Self.key(run.source, run.run)
    guard let verdict = verdicts[key] else { return ["new run"] }
    var changes: [String] = []
    if let before = Verdict(rawValue: verdict), Self.rank(run.verdict) > Self.rank(before) {
      changes.append("became \(run.verdict.rawValue) (was \(before.rawValue))")
    }
    let seen = findings[key] ?? []
    for finding in run.findings
    where finding.severity > .info && !seen.contains("\(finding.kind.rawValue)@\(finding.step)") {
      changes.append("new \(finding.kind.rawValue) at step \(finding.step)")
    }
    return changes
  }

  static func key(_ source: String, _ run: Int) -> String { "\(source)#\(run)" }

  /// How bad a verdict is, for "worst first" and "became worse".
  static func rank(_ verdict: Verdict) -> Int {
    switch verdict {
    case .healthy: 0
    case .noData: 1
    case .unstable: 2
    case .diverged: 3
    }
  }
}
