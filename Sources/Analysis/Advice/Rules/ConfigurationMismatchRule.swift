internal import LogParse

/// Sources that disagree on the batch or topology explain whatever the run did next, and some stop
/// it before it starts (log-formats.md §2.6, §2.8).
public enum ConfigurationMismatchRule: AttributionRule {
  public static let kind = CauseKind.configurationMismatch

  public static func evaluate(_ context: AttributionContext) -> Cause? {
    guard !context.problems.isEmpty else { return nil }
    let rejected = context.problems.contains(where: \.rejectedAtStartup)
    let suggestions = context.problems.compactMap { problem -> Suggestion? in
      guard let fix = problem.fix, let first = problem.evidence.first else { return nil }
      return Suggestion(
        setting: first.event.name, current: SettingsConsistency.show(first.event.value),
        suggested: problem.kind == .deepSpeedMismatch ? "\"auto\"" : "consistent values", rule: "batch identity",
        arithmetic: fix, reason: problem.message)
    }
    return Cause(
      kind: kind, confidence: rejected ? .high : .medium, findings: [],
      explanation: context.problems.map(\.message).joined(separator: " "), suggestions: suggestions)
  }
}
