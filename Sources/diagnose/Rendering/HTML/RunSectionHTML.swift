import Analysis

/// One run's section of an HTML report: verdict, charts, findings, causes and suggestions,
/// settings, and the log lines behind the findings.
struct RunSectionHTML {
  var run: ReportedRun
  /// Extra markup after the heading (the nightly index's "new since last night" marks).
  var headingNote = ""

  func render() -> String {
    var html = ""
    render { html += $0 }
    return html
  }

  /// Hands the section to `emit` piece by piece: a run with tens of thousands of findings has a
  /// section of tens of MB, which need not exist as one string (nor twice, as `+=` grows it).
  func render(_ emit: (String) -> Void) {
    let diagnosis = run.diagnosis
    var html = "<section id=\"\(run.anchor)\">\n"
    html +=
      "<h2>\(HTMLPage.badge(diagnosis.verdict)) <code>\(HTMLPage.escape(diagnosis.source))</code>"
      + " <span class=\"muted\">run \(diagnosis.run)</span>\(headingNote)</h2>\n"
    var facts: [String] = []
    if let first = diagnosis.firstStep, let last = diagnosis.lastStep {
      facts.append("steps \(first)–\(last), \(diagnosis.logged) logged")
    } else {
      facts.append("no training steps")
    }
    if !diagnosis.formats.isEmpty { facts.append(diagnosis.formats.joined(separator: ", ")) }
    if let bad = diagnosis.firstBadStep { facts.append("<strong>first bad step \(bad)</strong>") }
    html +=
      "<p class=\"facts\">" + facts.map { $0.hasPrefix("<") ? $0 : HTMLPage.escape($0) }.joined(separator: " · ")
      + "</p>\n"
    emit(html)
    let charts = RunCharts(run: run).charts()
    if !charts.isEmpty {
      emit("<div class=\"charts\">\n")
      for (position, chart) in charts.enumerated() {
        if position > 0 { emit("\n") }
        emit(chart.svg())
      }
      emit("\n</div>\n")
    }
    findings(emit)
    emit(causesAndSuggestions())
    emit(settings())
    evidence(emit)
    emit("</section>\n")
  }

  private func findings(_ emit: (String) -> Void) {
    let findings = run.diagnosis.findings
    guard !findings.isEmpty else { return emit("<h3>Findings</h3>\n<p>No findings.</p>\n") }
    emit("<h3>Findings</h3>\n<table>\n")
    emit("<tr><th>severity</th><th>finding</th><th>steps</th><th>what</th><th>evidence</th></tr>\n")
    for finding in findings {
      let span = finding.endStep > finding.step ? "\(finding.step)–\(finding.endStep)" : "\(finding.step)"
      let evidence =
        finding.evidence.prefix(4).map { "\($0.source):\($0.line)" }.joined(separator: ", ")
        + (finding.evidence.count > 4 ? " +\(finding.evidence.count - 4) more" : "")
      emit(
        "<tr><td class=\"sev-\(finding.severity.rawValue)\">\(finding.severity.rawValue)</td>"
          + "<td><code>\(finding.kind.rawValue)</code></td><td class=\"num\">\(span)</td>"
          + "<td>\(HTMLPage.escape(finding.message))</td><td><code>\(HTMLPage.escape(evidence))</code></td></tr>\n")
    }
    emit("</table>\n")
  }

  /// Attribution's section: the causes the settings explain, each with its suggestions.
  private func causesAndSuggestions() -> String {
    var html = "<h3>Causes and suggestions</h3>\n"
    guard !run.causes.isEmpty else {
      let words =
        run.alarming.isEmpty ? "Nothing to explain." : "No setting explains the findings: no change suggested."
      return html + "<p class=\"placeholder\">\(words)</p>\n"
    }
    html += "<ul>\n"
    for cause in run.causes {
      let explains = cause.findings.map { "\($0.kind.rawValue) at \($0.step)" }.joined(separator: ", ")
      html +=
        "<li><strong>\(cause.kind.rawValue)</strong> (\(cause.confidence.rawValue) confidence): "
        + HTMLPage.escape(cause.explanation)
        + (explains.isEmpty ? "" : " <span class=\"muted\">— explains \(HTMLPage.escape(explains))</span>")
      if !cause.suggestions.isEmpty {
        html += "<ul>"
        for suggestion in cause.suggestions {
          html +=
            "<li>suggest <code>\(HTMLPage.escape(suggestion.setting))</code> \(HTMLPage.escape(suggestion.current)) → "
            + "<strong>\(HTMLPage.escape(suggestion.suggested))</strong> (\(HTMLPage.escape(suggestion.rule)): "
            + "\(HTMLPage.escape(suggestion.arithmetic))) — \(HTMLPage.escape(suggestion.reason))"
          for key in suggestion.deepSpeedKeys { html += "<br/>DeepSpeed config: <code>\(HTMLPage.escape(key))</code>" }
          html += "</li>"
        }
        html += "</ul>"
      }
      html += "</li>\n"
    }
    return html + "</ul>\n"
  }

  private func settings() -> String {
    let rows = SettingRow.rows(run.settings, runSource: run.diagnosis.source)
    guard !rows.isEmpty else { return "" }
    var html = "<h3>Settings</h3>\n<table>\n<tr><th>setting</th><th>value</th><th>source</th><th>arithmetic</th></tr>\n"
    for row in rows {
      var source = HTMLPage.escape(row.source)
      if let disagreement = row.disagreement {
        source += "<br/><span class=\"sev-warning\">also stated: \(HTMLPage.escape(disagreement))</span>"
      }
      html +=
        "<tr><td><code>\(HTMLPage.escape(row.name))</code></td><td class=\"num\">\(HTMLPage.escape(row.value))</td>"
        + "<td>\(source)</td><td>\(HTMLPage.escape(row.arithmetic))</td></tr>\n"
    }
    return html + "</table>\n"
  }

  private func evidence(_ emit: (String) -> Void) {
    let quoted = run.alarming.filter { finding in finding.evidence.contains { run.quotes[$0] != nil } }
    guard !quoted.isEmpty else { return }
    emit("<h3>Evidence from the log</h3>\n")
    for finding in quoted {
      let lines = finding.evidence.prefix(ReportedRun.quotesPerFinding).compactMap { evidence in
        run.quotes[evidence].map { "\(evidence.source):\(evidence.line): \($0)" }
      }
      emit(
        "<p><span class=\"sev-\(finding.severity.rawValue)\">\(finding.kind.rawValue)</span> at step \(finding.step)</p>\n<pre>"
          + lines.map(HTMLPage.escape).joined(separator: "\n") + "</pre>\n")
    }
  }
}
