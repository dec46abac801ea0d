import Analysis

/// `diagnose report`'s text output: per run a verdict line, the loss sparkline, then the findings.
struct ReportTextRenderer {
  /// Info findings are listed too unless `quietInfo`; they explain, they do not alarm.
  var showInfo = true

  func render(_ runs: [RunAssessment], into output: inout OutputBuffer) {
    for (position, run) in runs.enumerated() {
      if position > 0 { output.endLine() }
      renderRun(run.diagnosis, into: &output)
      AdviceTextRenderer().render(run, into: &output)
    }
    output.flush()
  }

  private func renderRun(_ run: RunDiagnosis, into output: inout OutputBuffer) {
    var header = "\(run.source) — run \(run.run)"
    if !run.formats.isEmpty { header += " (\(run.formats.joined(separator: ", ")))" }
    if let first = run.firstStep, let last = run.lastStep {
      header += ": steps \(first)–\(last), \(run.logged) logged"
    } else {
      header += ": no training steps"
    }
    output.append(header)
    output.endLine()
    var verdict = "  verdict: \(run.verdict.rawValue.uppercased())"
    if let bad = run.firstBadStep { verdict += ", first bad step \(bad)" }
    let counts = Severity.allCases.reversed().compactMap { severity -> String? in
      let n = run.findings.filter { $0.severity == severity }.count
      return n > 0 ? "\(n) \(severity.rawValue)" : nil
    }
    if !counts.isEmpty { verdict += " (\(counts.joined(separator: ", ")))" }
    output.append(verdict)
    output.endLine()
    // Read in place: an array of a million optional losses would be 16 MB.
    let losses = run.series.losses.lazy.map(RunSeries.value)
    if let line = Sparkline.render(losses) {
      var text = "  loss \(line)"
      if let first = losses.first(where: { $0?.isFinite == true }) ?? nil,
        let last = losses.last(where: { $0?.isFinite == true }) ?? nil
      {
        text += "  \(TextNumber.short(first)) → \(TextNumber.short(last))"
      }
      output.append(text)
      output.endLine()
    }
    for finding in run.findings where showInfo || finding.severity > .info {
      let steps = finding.endStep > finding.step ? "steps \(finding.step)–\(finding.endStep)" : "step \(finding.step)"
      let severity = finding.severity.rawValue.padding(to: 8)
      output.append("  \(severity) \(finding.kind.rawValue.padding(to: 19)) \(steps.padding(to: 16)) \(finding.message)")
      output.endLine()
      if finding.severity > .info, !finding.evidence.isEmpty {
        let lines = finding.evidence.map { String($0.line) }.joined(separator: ", ")
        output.append(
          "           evidence: \(finding.evidence[0].source) line\(finding.evidence.count > 1 ? "s" : "") \(lines)")
        output.endLine()
      }
    }
  }
}

enum TextNumber {
  /// Four significant digits, as HF prints losses.
  static func short(_ value: Double) -> String {
    guard value.isFinite, value != 0 else { return value.isNaN ? "nan" : value.description }
    var digits = 3
    var magnitude = abs(value)
    while magnitude >= 10, digits > 0 {
      magnitude /= 10
      digits -= 1
    }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return rounded.description
  }
}
