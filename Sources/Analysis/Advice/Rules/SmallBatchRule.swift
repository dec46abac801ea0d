internal import LogParse

/// A noisy loss from a small total batch: raise GAS to reach a larger total at the same per-device
/// memory (stability.md §5.1: "increase total_batch_size"; §2.1).
public enum SmallBatchRule: AttributionRule {
  public static let kind = CauseKind.smallBatchNoise

  /// Total batches at or under this are small for LLM fine-tuning.
  static let smallTotal = 16
  /// The total to reach.
  static let targetTotal = 64

  public static func evaluate(_ context: AttributionContext) -> Cause? {
    guard let identity = context.settings.batch, identity.total <= smallTotal else { return nil }
    let spikes = context.troubles.filter { $0.kind == .lossSpike && $0.recovery != .never }
    guard spikes.count >= 2 else { return nil }
    let perStep = identity.perDevice * identity.worldSize
    let accumulation = (targetTotal + perStep - 1) / perStep
    let target = accumulation * perStep
    guard let suggestion = Suggestions.accumulationForTotal(identity, targetTotal: target, deepSpeedConfig: context.usesDeepSpeed)
    else { return nil }
    return Cause(
      kind: kind, confidence: .low, findings: spikes.map(FindingReference.init),
      explanation: "\(spikes.count) loss spikes that recovered, with a total batch of only \(identity.total) (\(identity.arithmetic)): each step sees few samples, so the loss is noisy.",
      suggestions: [suggestion])
  }
}
