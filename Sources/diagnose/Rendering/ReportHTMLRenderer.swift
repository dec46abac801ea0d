import Analysis

/// `diagnose report --format html`: one self-contained page with a table of the runs and, per run,
/// its charts, findings, settings and evidence (``RunSectionHTML``).
struct ReportHTMLRenderer {
  func render(_ runs: [ReportedRun]) -> String {
    var page = ""
    render(runs) { page += $0 }
    return page
  }

  /// Writes the page as it is rendered, one run section at a time.
  func render(_ runs: [ReportedRun], into output: inout OutputBuffer) {
    render(runs) { output.append($0) }
  }

  private func render(_ runs: [ReportedRun], _ emit: (String) -> Void) {
    let frame = HTMLPage.frame(title: "diagnose report")
    emit(frame.head)
    var body = "<h1>diagnose report</h1>\n"
    if runs.isEmpty {
      body += "<p>No run with training records was read.</p>\n"
    } else {
      body += "<table>\n<tr><th>run</th><th>verdict</th><th>first bad step</th><th>steps</th><th>findings</th></tr>\n"
      for run in runs {
        let diagnosis = run.diagnosis
        let steps = diagnosis.firstStep.flatMap { first in diagnosis.lastStep.map { "\(first)–\($0)" } } ?? "—"
        body +=
          "<tr><td><a href=\"#\(run.anchor)\"><code>\(HTMLPage.escape(diagnosis.source))</code></a> #\(diagnosis.run)</td>"
          + "<td>\(HTMLPage.badge(diagnosis.verdict))</td><td class=\"num\">\(diagnosis.firstBadStep.map(String.init) ?? "—")</td>"
          + "<td class=\"num\">\(steps)</td><td>\(FindingCounts(diagnosis.findings).text)</td></tr>\n"
      }
      body += "</table>\n"
    }
    emit(body)
    for run in runs { RunSectionHTML(run: run).render(emit) }
    emit(frame.tail)
  }
}

/// How many findings of each severity, worst first: `1 critical, 3 warning`.
struct FindingCounts {
  var critical = 0
  var warning = 0
  var info = 0

  init(_ findings: [Finding]) {
    for finding in findings {
      switch finding.severity {
      case .critical: critical += 1
      case .warning: warning += 1
      case .info: info += 1
      }
    }
  }

  var text: String {
    let parts = [(critical, "critical"), (warning, "warning"), (info, "info")].filter { $0.0 > 0 }.map {
      "\($0.0) \($0.1)"
    }
    return parts.isEmpty ? "none" : parts.joined(separator: ", ")
  }
}
