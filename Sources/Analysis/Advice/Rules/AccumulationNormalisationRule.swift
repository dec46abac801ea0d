internal import LogParse

/// Loss and grad norm about GAS times a reference run's: the gradient-accumulation loss
/// normalisation problem of some transformers versions (stability.md §5.2: PR #34191, #35438,
/// #37766; axolotl #2262 "BS1GA8 is ~8x larger than BS8GA1").
public enum AccumulationNormalisationRule: AttributionRule {
  public static let kind = CauseKind.accumulationLossNormalisation

  /// How close the level ratio must be to the GAS ratio.
  static let tolerance = 0.2

  public static func evaluate(_ context: AttributionContext) -> Cause? {
    guard let reference = context.reference?.earlyLevels, let referenceGAS = reference.accumulation,
      let gas = context.settings.int(.gradientAccumulationSteps), gas != referenceGAS,
      let referenceLoss = reference.loss, referenceLoss > 0
    else { return nil }
    let levels = EarlyLevels(series: context.diagnosis.series, accumulation: gas)
    guard let loss = levels.loss else { return nil }
    let expected = Double(gas) / Double(referenceGAS)
    let lossRatio = loss / referenceLoss
    guard abs(lossRatio / expected - 1) <= tolerance else { return nil }
    var explanation =
      "The loss starts at \(Format.number(loss)), \(Format.ratio(lossRatio)) the reference's \(Format.number(referenceLoss)),"
      + " and GAS went from \(referenceGAS) to \(gas) (×\(Format.number(expected)))"
    var confidence = Confidence.medium
    if let norm = levels.gradNorm, let referenceNorm = reference.gradNorm, referenceNorm > 0,
      abs(norm / referenceNorm / expected - 1) <= tolerance
    {
      explanation += "; the grad norm scales the same way (\(Format.ratio(norm / referenceNorm)))"
      confidence = .high
    }
    explanation += ": the loss is summed, not averaged, over accumulation steps, as in transformers 4.46–4.48 for some models."
    return Cause(
      kind: kind, confidence: confidence, findings: [], explanation: explanation,
      suggestions: [
        Suggestion(
          setting: "transformers", current: "a version with the GA normalisation bug", suggested: "a release with PR #34191 and its follow-ups",
          rule: "GA loss normalisation", arithmetic: "loss ratio \(Format.number(lossRatio)) ≈ GAS ratio \(Format.number(expected))",
          reason: "compare runs only after the fix; until then divide the logged loss by GAS")
      ])
  }
}
