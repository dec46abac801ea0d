internal import LogParse

/// A run's diagnosis with its settings reconciled, the settings checks as findings, the causes
/// attributed and the suggestions that follow.
public struct RunAssessment: Sendable {
  public var diagnosis: RunDiagnosis
  public var settings: RunSettings
  public var problems: [ConsistencyProblem]
  public var causes: [Cause]
  /// Every cause's suggestions, once each, most confident cause first.
  public var suggestions: [Suggestion]

  public init(
    diagnosis: RunDiagnosis, table: SettingsTable, errors: [SettingsConsistency.ReportedError] = [],
    reference: Reference? = nil
  ) {
    let settings = RunSettings(table)
    let problems = SettingsConsistency.check(settings, errors: errors)
    var diagnosis = diagnosis
    // Appending nothing would still copy every finding out of the shared array.
    if !problems.isEmpty { diagnosis.findings += problems.map { Self.finding($0, at: diagnosis.firstStep ?? 0) } }
    let causes = Attribution.causes(
      AttributionContext(diagnosis: diagnosis, settings: settings, reference: reference, problems: problems))
    var suggestions: [Suggestion] = []
    for suggestion in causes.flatMap(\.suggestions) where !suggestions.contains(suggestion) {
      suggestions.append(suggestion)
    }
    self.diagnosis = diagnosis
    self.settings = settings
    self.problems = problems
    self.causes = causes
    self.suggestions = suggestions
  }

  static func finding(_ problem: ConsistencyProblem, at step: Int) -> Finding {
    let kind: FindingKind =
      switch problem.kind {
      case .totalBatchMismatch: .totalBatchMismatch
      case .deepSpeedMismatch: .deepSpeedConfigMismatch
      case .batchAssertion: .deepSpeedBatchAssertion
      case .worldSizeMismatch: .worldSizeMismatch
      }
    return Finding(
      kind: kind, severity: problem.rejectedAtStartup ? .critical : .warning, metric: "settings", step: step,
      message: problem.message + (problem.fix.map { " Fix: \($0)." } ?? ""),
      evidence: problem.evidence.reduce(into: [Evidence]()) { list, entry in
        let evidence = Evidence(source: entry.sourcePath, line: entry.event.location.line)
        if !list.contains(evidence) { list.append(evidence) }
      })
  }
}

extension Reference {
  /// The reference a finished run gives: its total batch, its learning rate and its early levels.
  public init?(baseline diagnosis: RunDiagnosis, table: SettingsTable, origin: String) {
    let settings = RunSettings(table)
    guard let total = settings.int(.totalBatchSize),
      let rate = settings.double(.learningRate) ?? LearningRateRule.peakLearningRate(diagnosis.series)
    else { return nil }
    self.init(
      totalBatch: total, learningRate: rate, origin: origin, identity: settings.batch,
      earlyLevels: EarlyLevels(series: diagnosis.series, accumulation: settings.int(.gradientAccumulationSteps)))
  }
}
