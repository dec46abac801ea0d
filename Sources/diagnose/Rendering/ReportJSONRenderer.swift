import Analysis

/// `diagnose report --format json`: the `diagnose.report/1` contract (`schemas/diagnose.report.v1.schema.json`).
///
/// Names are fixed: add fields, never rename. Numbers that are NaN or infinite are written as
/// `null` with a `value_text` beside them, so that strict JSON readers (jq, browsers) accept the output.
struct ReportJSONRenderer {
  static let schema = "diagnose.report/1"

  /// A JSON object written as the top-level `summary` after the runs (`diagnose nightly --json`).
  var summary: String?

  func render(_ runs: [RunAssessment], into output: inout OutputBuffer) {
    output.append("{\n  \"schema\": \(JSONText.string(Self.schema)),\n  \"runs\": [")
    for (position, run) in runs.enumerated() {
      output.append(position == 0 ? "\n" : ",\n")
      renderRun(run, into: &output)
    }
    output.append(runs.isEmpty ? "]" : "\n  ]")
    if let summary { output.append(",\n  \"summary\": \(summary)") }
    output.append("\n}")
    output.endLine()
    output.flush()
  }

  private func renderRun(_ assessment: RunAssessment, into output: inout OutputBuffer) {
    let run = assessment.diagnosis
    output.append("    {\"source\": \(JSONText.string(run.source)), \"run\": ")
    output.append(run.run)
    output.append(", \"formats\": [\(run.formats.map(JSONText.string).joined(separator: ", "))]")
    output.append(
      ", \"steps\": {\"first\": \(int(run.firstStep)), \"last\": \(int(run.lastStep)), \"logged\": \(run.logged)}")
    output.append(
      ", \"verdict\": \(JSONText.string(run.verdict.rawValue)), \"first_bad_step\": \(int(run.firstBadStep))")
    output.append(", \"findings\": [")
    for (position, finding) in run.findings.enumerated() {
      output.append(position == 0 ? "\n" : ",\n")
      renderFinding(finding, into: &output)
    }
    output.append(run.findings.isEmpty ? "], " : "\n    ], ")
    output.append(AdviceJSONRenderer.members(assessment))
    output.append("}")
  }

  private func renderFinding(_ finding: Finding, into output: inout OutputBuffer) {
    var fields: [String] = [
      "\"kind\": \(JSONText.string(finding.kind.rawValue))",
      "\"severity\": \(JSONText.string(finding.severity.rawValue))",
      "\"metric\": \(JSONText.string(finding.metric))",
      "\"step\": \(finding.step)",
      "\"end_step\": \(finding.endStep)",
      "\"value\": \(number(finding.value))",
      "\"baseline\": \(number(finding.baseline))",
      "\"score\": \(number(finding.score))",
      "\"message\": \(JSONText.string(finding.message))",
      "\"evidence\": ["
        + finding.evidence.map { "{\"source\": \(JSONText.string($0.source)), \"line\": \($0.line)}" }
        .joined(separator: ", ") + "]",
      "\"raised_at_step\": \(finding.raisedAtStep)",
    ]
    if let value = finding.value, !value.isFinite {
      fields.append("\"value_text\": \"\(value.isNaN ? "nan" : value < 0 ? "-inf" : "inf")\"")
    }
    if let recovery = finding.recovery { fields.append("\"recovery\": \(JSONText.string(recovery.rawValue))") }
    if let coSpike = finding.coSpikeStep { fields.append("\"co_spike_step\": \(coSpike)") }
    output.append("      {" + fields.joined(separator: ", ") + "}")
  }

  private func int(_ value: Int?) -> String { value.map(String.init) ?? "null" }

  private func number(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "null" }
    return value.description
  }
}
