internal import LogParse

/// Grad-norm spikes (or a blow-up) with clipping off or so loose it never acts (stability.md §0.3,
/// §1.1: nearly every large run clips at 1.0; OPT went 2.5 → 1.0, Gopher 1.0 → 0.25).
public enum ClippingRule: AttributionRule {
  public static let kind = CauseKind.clippingOffOrLoose

  /// A threshold at least this many times the run's median grad norm never acts.
  static let looseFactor = 10.0

  public static func evaluate(_ context: AttributionContext) -> Cause? {
    guard let clip = context.settings[.maxGradNorm]?.value.doubleValue else { return nil }
    let involved = context.troubles.filter { [.gradNormSpike, .divergence, .nan].contains($0.kind) }
    guard !involved.isEmpty else { return nil }
    let series = context.diagnosis.series
    let norms = (0..<series.count).compactMap { series.gradNorm(at: $0) }.filter { $0.isFinite }
    let median = EarlyLevels.median(norms)
    let off = clip <= 0
    let loose = !off && median.map { clip >= looseFactor * $0 } ?? false
    guard off || loose else { return nil }
    let state =
      off
      ? "clipping is off (max_grad_norm \(ShortNumber.format(clip)))"
      : "max_grad_norm \(ShortNumber.format(clip)) is \(Format.ratio(clip / median!)) the median grad norm \(Format.number(median!)): it never acts"
    return Cause(
      kind: kind, confidence: involved.contains { $0.kind == .gradNormSpike } ? .medium : .low,
      findings: involved.map(FindingReference.init),
      explanation: "\(involved.count) grad-norm spike(s) or blow-up(s) while \(state).",
      suggestions: [Suggestions.enableClipping(current: clip, deepSpeedConfig: context.usesDeepSpeed)])
  }
}
