import Analysis
import Foundation

/// `diagnose report --format markdown`: fits a GitHub PR comment or a CI job summary.
///
/// A table of runs first (verdict, first bad step, finding counts), then per run its findings with
/// evidence as `file:line`, its settings with their sources and arithmetic, and a section for causes
/// and suggestions. GitHub renders `<details>` blocks, which keep long tables folded.
struct ReportMarkdownRenderer {
  func render(_ runs: [ReportedRun]) -> String {
    var text = "# diagnose report\n\n"
    if runs.isEmpty { return text + "No run with training records was read.\n" }
    text += "| run | verdict | first bad step | steps | findings |\n| --- | --- | --- | --- | --- |\n"
    for run in runs {
      let diagnosis = run.diagnosis
      text +=
        "| \(cell(title(diagnosis))) | \(verdict(diagnosis.verdict)) | \(diagnosis.firstBadStep.map(String.init) ?? "—")"
        + " | \(steps(diagnosis)) | \(counts(diagnosis.findings)) |\n"
    }
    for run in runs { text += "\n" + section(run) }
    return text
  }

  private func section(_ run: ReportedRun) -> String {
    let diagnosis = run.diagnosis
    var text = "## \(verdict(diagnosis.verdict)) `\(code(title(diagnosis)))`\n\n"
    var facts = ["steps \(steps(diagnosis))", "\(diagnosis.logged) logged"]
    if !diagnosis.formats.isEmpty { facts.append(diagnosis.formats.joined(separator: ", ")) }
    if let bad = diagnosis.firstBadStep { facts.append("**first bad step \(bad)**") }
    text += facts.joined(separator: " · ") + "\n\n"
    if diagnosis.findings.isEmpty {
      text += "No findings.\n\n"
    } else {
      text += "| severity | finding | steps | what | evidence |\n| --- | --- | --- | --- | --- |\n"
      for finding in diagnosis.findings {
        let span = finding.endStep > finding.step ? "\(finding.step)–\(finding.endStep)" : "\(finding.step)"
        text +=
          "| \(finding.severity.rawValue) | `\(finding.kind.rawValue)` | \(span) | \(cell(finding.message))"
          + " | \(evidence(finding.evidence)) |\n"
      }
      text += "\n"
    }
    text += causesAndSuggestions(run)
    text += settings(run)
    return text
  }

  /// Attribution's section: the causes the settings explain, each with its suggestions.
  private func causesAndSuggestions(_ run: ReportedRun) -> String {
    guard !run.causes.isEmpty else {
      return run.alarming.isEmpty ? "" : "No setting explains the findings: no change suggested.\n\n"
    }
    var text = "**Causes and suggestions**\n\n"
    for cause in run.causes {
      let explains = cause.findings.map { "`\($0.kind.rawValue)` at \($0.step)" }.joined(separator: ", ")
      text +=
        "- **\(cause.kind.rawValue)** (\(cause.confidence.rawValue) confidence): \(cell(cause.explanation))"
        + (explains.isEmpty ? "" : " — explains \(explains)") + "\n"
      for suggestion in cause.suggestions {
        text +=
          "  - suggest `\(code(suggestion.setting))` \(cell(suggestion.current)) → **\(cell(suggestion.suggested))**"
          + " (\(cell(suggestion.rule)): \(cell(suggestion.arithmetic))) — \(cell(suggestion.reason))\n"
        for key in suggestion.deepSpeedKeys { text += "    - DeepSpeed config: `\(code(key))`\n" }
      }
    }
    return text + "\n"
  }

  private func settings(_ run: ReportedRun) -> String {
    let rows = SettingRow.rows(run.settings, runSource: run.diagnosis.source)
    guard !rows.isEmpty else { return "" }
    var text = "<details><summary>Settings (\(rows.count))</summary>\n\n"
    text += "| setting | value | source | arithmetic |\n| --- | --- | --- | --- |\n"
    for row in rows {
      var source = cell(row.source)
      if let disagreement = row.disagreement { source += " ⚠ also stated: \(cell(disagreement))" }
      text += "| `\(row.name)` | \(cell(row.value)) | \(source) | \(cell(row.arithmetic)) |\n"
    }
    return text + "\n</details>\n"
  }

  // MARK: - Pieces

  /// `` `train.log:273,274,275` +2 more ``: one file named once, lines after it.
  private func evidence(_ evidence: [Evidence]) -> String {
    let shown = evidence.prefix(4)
    var parts: [String] = []
    for source in shown.map(\.source).uniqued() {
      let lines = shown.filter { $0.source == source }.map { String($0.line) }.joined(separator: ",")
      parts.append("`\(code(source)):\(lines)`")
    }
    if evidence.count > shown.count { parts.append("+\(evidence.count - shown.count) more") }
    return parts.joined(separator: ", ")
  }

  private func title(_ diagnosis: RunDiagnosis) -> String { "\(diagnosis.source) #\(diagnosis.run)" }

  private func steps(_ diagnosis: RunDiagnosis) -> String {
    guard let first = diagnosis.firstStep, let last = diagnosis.lastStep else { return "—" }
    return "\(first)–\(last)"
  }

  private func verdict(_ verdict: Verdict) -> String {
    switch verdict {
    case .healthy: "✅ healthy"
    case .unstable: "⚠️ unstable"
    case .diverged: "❌ diverged"
    case .noData: "➖ no data"
    }
  }

  private func counts(_ findings: [Finding]) -> String {
    let parts = Severity.allCases.reversed().compactMap { severity -> String? in
      let n = findings.filter { $0.severity == severity }.count
      return n > 0 ? "\(n) \(severity.rawValue)" : nil
    }
    return parts.isEmpty ? "none" : parts.joined(separator: ", ")
  }

  /// Text safe in a table cell: pipes escaped, newlines folded, HTML-looking text defused.
  private func cell(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
      .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "<", with: "&lt;")
  }

  /// Text safe inside backticks.
  private func code(_ text: String) -> String {
    text.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|")
  }
}

extension Sequence where Element: Hashable {
  /// The elements in order, each once.
  func uniqued() -> [Element] {
    var seen = Set<Element>()
    return filter { seen.insert($0).inserted }
  }
}
