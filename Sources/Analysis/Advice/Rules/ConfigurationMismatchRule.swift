internal import LogParse

/// Sources that disagree on the batch or topology explain whatever the run did next, and some stop
/// it before it starts (log-formats.md §2.6, §2.8).
public enum ConfigurationMismatchRule: AttributionRule {
  public static let kind = CauseKind.configurationMismatch

  public static func evaluate(_ context: AttributionContext) -> Cause? {
    guard !context.problems.isEmpty else { return nil }
    let rejected = context.problems.contains(where: \.rejectedAtStartup)
    var suggestions: [Suggestion] = []
    for suggestion in context.problems.compactMap(\.suggestion) where !suggestions.contains(suggestion) {
      suggestions.append(suggestion)
    }
    return Cause(
      kind: kind, confidence: rejected ? .high : .medium, findings: [],
      explanation: context.problems.map(\.message).joined(separator: " "), suggestions: suggestions)
  }
}
