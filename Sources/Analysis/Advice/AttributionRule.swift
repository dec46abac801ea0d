/// One way a setting explains a run's trouble; each rule lives in its own file under `Rules/`.
public protocol AttributionRule {
  /// The cause this rule attributes.
  static var kind: CauseKind { get }
  /// The cause, or `nil` when the evidence does not support it.
  static func evaluate(_ context: AttributionContext) -> Cause?
}

/// Runs every rule on a run; says "no setting to blame" only when nothing else explains recovered
/// spikes.
public enum Attribution {
  public static let rules: [any AttributionRule.Type] = [
    ConfigurationMismatchRule.self, PrecisionRule.self, WarmupRule.self, LearningRateRule.self, ClippingRule.self,
    AccumulationNormalisationRule.self, SmallBatchRule.self,
  ]

  public static func causes(_ context: AttributionContext) -> [Cause] {
    var causes = rules.compactMap { $0.evaluate(context) }
    if causes.isEmpty, let isolated = IsolatedSpikeRule.evaluate(context) { causes.append(isolated) }
    return causes.sorted { $0.confidence > $1.confidence }
  }
}
