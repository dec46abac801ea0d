internal import LogParse

/// The learning rate does not suit the total batch: against a reference run by the square-root rule
/// (Adam) or the linear rule (SGD), or the total batch changed (more GPUs or nodes, another GAS)
/// while the learning rate stayed (stability.md §2.2, §5.5, Appendix B).
public enum LearningRateRule: AttributionRule {
  public static let kind = CauseKind.learningRateTooHighForBatch

  /// A learning rate this much above the scaled reference is too high.
  static let tolerance = 1.15

  public static func evaluate(_ context: AttributionContext) -> Cause? {
    guard let reference = context.reference, let total = context.totalBatch, total > 0,
      let learningRate = context.settings.double(.learningRate) ?? peakLearningRate(context.diagnosis.series)
    else { return nil }
    let troubles = context.troubles.filter { [.lossSpike, .gradNormSpike, .divergence, .nan].contains($0.kind) }
    guard !troubles.isEmpty else { return nil }
    let optimizer = context.settings[.optimizer].flatMap { if case .string(let name) = $0.value { name } else { nil } }
    let rule = LearningRateScaling.recommended(forOptimizer: optimizer)
    let expected = rule.scale(reference.learningRate, from: reference.totalBatch, to: total)
    let sameRate = abs(learningRate - reference.learningRate) <= 0.01 * reference.learningRate
    let batchChanged = total != reference.totalBatch
    guard learningRate > expected * tolerance || (batchChanged && sameRate) else { return nil }
    var suggestions = [
      Suggestions.learningRate(
        current: learningRate, total: total, referenceLearningRate: reference.learningRate,
        referenceTotal: reference.totalBatch, optimizer: optimizer, identity: context.settings.batch,
        usesDeepSpeedOptimizer: context.settings[.optimizer]?.sources.contains { $0.event.source == .deepSpeedConfigFile } ?? false)
    ]
    if batchChanged, let identity = context.settings.batch,
      let restore = Suggestions.accumulationForTotal(identity, targetTotal: reference.totalBatch, deepSpeedConfig: context.usesDeepSpeed)
    {
      suggestions.append(restore)
    }
    let what = changeDescription(from: reference.identity, to: context.settings.batch)
    let explanation: String
    let causeKind: CauseKind
    if batchChanged && sameRate {
      causeKind = .batchChangedLearningRateDidNot
      explanation =
        "The total batch went from \(reference.totalBatch) (\(reference.origin)) to \(total)\(what) at the same learning rate"
        + " \(ShortNumber.format(learningRate)): the \(rule.title) gives \(ShortNumber.format(expected)) for \(total);"
        + " fewer, larger steps also shorten the warm-up and the schedule in steps."
    } else {
      causeKind = kind
      explanation =
        "Learning rate \(ShortNumber.format(learningRate)) is \(Format.ratio(learningRate / expected)) what the \(rule.title)"
        + " gives for total batch \(total) from \(ShortNumber.format(reference.learningRate)) at \(reference.totalBatch) (\(reference.origin))."
    }
    let severe = troubles.contains { $0.kind == .divergence || $0.kind == .nan }
    return Cause(
      kind: causeKind, confidence: severe ? .high : .medium, findings: troubles.map(FindingReference.init),
      explanation: explanation, suggestions: suggestions)
  }

  /// ` (GPUs per node 8 → 8, nodes 1 → 2)`: what changed between two identities.
  static func changeDescription(from old: BatchIdentity?, to new: BatchIdentity?) -> String {
    guard let old, let new else { return "" }
    var parts: [String] = []
    if old.perDevice != new.perDevice { parts.append("per-device \(old.perDevice) → \(new.perDevice)") }
    if old.gradientAccumulation != new.gradientAccumulation {
      parts.append("GAS \(old.gradientAccumulation) → \(new.gradientAccumulation)")
    }
    if old.gpusPerNode != new.gpusPerNode { parts.append("GPUs per node \(old.gpusPerNode) → \(new.gpusPerNode)") }
    if old.nodes != new.nodes { parts.append("nodes \(old.nodes) → \(new.nodes)") }
    return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
  }

  static func peakLearningRate(_ series: RunSeries) -> Double? {
    (0..<series.count).compactMap { series.learningRate(at: $0) }.filter(\.isFinite).max()
  }
}
