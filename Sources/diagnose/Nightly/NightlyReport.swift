import Analysis

/// Tonight's runs, worst first, with what is new since last night and what was skipped.
struct NightlyReport {
  var runs: [ReportedRun]
  var skipped: [RunDiscovery.Skipped]
  /// Per run anchor, what changed since the previous summary (empty without `--previous`).
  var changes: [String: [String]] = [:]
  /// Whether last night's summary was given (the index then has a "new since last night" column).
  var comparesWithPrevious = false

  init(runs: [ReportedRun], skipped: [RunDiscovery.Skipped], previous: PreviousSummary?) {
    var runs = runs
    runs.sort(by: Self.worstFirst)
    for index in runs.indices { runs[index].anchor = "run-\(index + 1)" }
    self.runs = runs
    self.skipped = skipped
    comparesWithPrevious = previous != nil
    if let previous {
      for run in runs { changes[run.anchor] = previous.changes(run.diagnosis) }
    }
  }

  /// Diverged, then unstable, then no data, then healthy; within a verdict more critical findings
  /// first, then the earlier first bad step, then by name (so the order is the same every night).
  static func worstFirst(_ lhs: ReportedRun, _ rhs: ReportedRun) -> Bool {
    let (l, r) = (lhs.diagnosis, rhs.diagnosis)
    let (lRank, rRank) = (PreviousSummary.rank(l.verdict), PreviousSummary.rank(r.verdict))
    if lRank != rRank { return lRank > rRank }
    let (lCritical, rCritical) = (FindingCounts(l.findings).critical, FindingCounts(r.findings).critical)
    if lCritical != rCritical { return lCritical > rCritical }
    if l.firstBadStep != r.firstBadStep { return (l.firstBadStep ?? .max) < (r.firstBadStep ?? .max) }
    if l.source != r.source { return l.source < r.source }
    return l.run < r.run
  }

  /// Counts per verdict, skipped inputs and changes, as the `summary` object of the JSON.
  var summaryJSON: String {
    var verdicts: [String] = []
    for verdict in [Verdict.diverged, .unstable, .noData, .healthy] {
      verdicts.append("\(JSONText.string(verdict.rawValue)): \(runs.filter { $0.diagnosis.verdict == verdict }.count)")
    }
    let skippedItems = skipped.map {
      "{\"path\": \(JSONText.string($0.path)), \"reason\": \(JSONText.string($0.reason))}"
    }
    var newItems: [String] = []
    for run in runs {
      for change in changes[run.anchor] ?? [] {
        newItems.append(
          "{\"source\": \(JSONText.string(run.diagnosis.source)), \"run\": \(run.diagnosis.run), \"what\": \(JSONText.string(change))}"
        )
      }
    }
    return "{\"runs\": \(runs.count), \"verdicts\": {\(verdicts.joined(separator: ", "))},"
      + " \"skipped\": [\(skippedItems.joined(separator: ", "))], \"new\": [\(newItems.joined(separator: ", "))]}"
  }
}
