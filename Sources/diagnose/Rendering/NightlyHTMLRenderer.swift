import Analysis

/// `diagnose nightly`'s page: a table of every run, worst first (verdict, first bad step, total
/// batch, learning rate, finding counts, a loss sparkline, what is new), what was skipped and why,
/// then one section per run (``RunSectionHTML``).
struct NightlyHTMLRenderer {
  func render(_ report: NightlyReport) -> String {
    var body = "<h1>diagnose nightly</h1>\n"
    let counts = [Verdict.diverged, .unstable, .noData, .healthy].compactMap { verdict -> String? in
      let n = report.runs.filter { $0.diagnosis.verdict == verdict }.count
      return n > 0 ? "\(n) \(verdict.rawValue)" : nil
    }
    body +=
      "<p class=\"facts\">\(report.runs.count) runs: \(counts.joined(separator: ", "))"
      + (report.skipped.isEmpty ? "" : "; \(report.skipped.count) inputs skipped") + "</p>\n"
    body += index(report)
    body += skipped(report.skipped)
    // The sections (charts, smoothing, downsampling) are most of the work: one run per task.
    let runs = report.runs
    let notes = runs.map { (report.changes[$0.anchor] ?? []).isEmpty ? "" : " <span class=\"new\">NEW</span>" }
    body += ParallelMap.map(runs.count) { RunSectionHTML(run: runs[$0], headingNote: notes[$0]).render() }.joined()
    return HTMLPage.document(title: "diagnose nightly", body: body)
  }

  private func index(_ report: NightlyReport) -> String {
    guard !report.runs.isEmpty else { return "<p>No runs found.</p>\n" }
    var html =
      "<table class=\"index\">\n<tr><th>run</th><th>verdict</th><th>first bad step</th><th>total batch</th>"
      + "<th>lr</th><th>critical</th><th>warning</th><th>info</th><th>loss</th>"
      + (report.comparesWithPrevious ? "<th>new since last night</th>" : "") + "</tr>\n"
    for run in report.runs {
      let diagnosis = run.diagnosis
      let counts = FindingCounts(diagnosis.findings)
      let total = run.settings.int(.totalBatchSize).map(String.init) ?? "—"
      let lr = learningRate(run)
      let sparkline = SparklineSVG.render(
        steps: Array(diagnosis.series.steps), values: diagnosis.series.losses.map { RunSeries.value($0) ?? 0 },
        title: "loss of \(diagnosis.source)")
      let changes = report.changes[run.anchor] ?? []
      html +=
        "<tr><td><a href=\"#\(run.anchor)\"><code>\(HTMLPage.escape(diagnosis.source))</code></a>"
        + (diagnosis.run > 0 ? " #\(diagnosis.run)" : "") + "</td>"
        + "<td>\(HTMLPage.badge(diagnosis.verdict))</td><td class=\"num\">\(diagnosis.firstBadStep.map(String.init) ?? "—")</td>"
        + "<td class=\"num\">\(total)</td><td class=\"num\">\(lr)</td>"
        + "<td class=\"num\">\(counts.critical)</td><td class=\"num\">\(counts.warning)</td><td class=\"num\">\(counts.info)</td>"
        + "<td>\(sparkline)</td>"
        + (report.comparesWithPrevious ? "<td>\(HTMLPage.escape(changes.joined(separator: "; ")))</td>" : "")
        + "</tr>\n"
    }
    return html + "</table>\n"
  }

  /// The stated learning rate, else the highest one logged (the peak after warm-up), marked so.
  private func learningRate(_ run: ReportedRun) -> String {
    if let stated = run.settings.double(.learningRate) { return ShortNumber.format(stated) }
    let logged = run.diagnosis.series.learningRates.compactMap { RunSeries.value($0) }.filter(\.isFinite)
    return logged.max().map { "peak " + ShortNumber.format($0) } ?? "—"
  }

  private func skipped(_ skipped: [RunDiscovery.Skipped]) -> String {
    guard !skipped.isEmpty else { return "" }
    var html = "<h3>Skipped</h3>\n<table>\n<tr><th>input</th><th>why</th></tr>\n"
    for item in skipped {
      html += "<tr><td><code>\(HTMLPage.escape(item.path))</code></td><td>\(HTMLPage.escape(item.reason))</td></tr>\n"
    }
    return html + "</table>\n"
  }
}
