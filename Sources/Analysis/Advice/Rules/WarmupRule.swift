internal import LogParse

/// Spikes or divergence during or just after a short warm-up: the peak learning rate came too soon
/// (stability.md Appendix B; llm-foundry #232/#330; Gopher warmed up over 1,500 steps).
public enum WarmupRule: AttributionRule {
  public static let kind = CauseKind.warmupTooShort

  /// A warm-up shorter than this share of the steps is short (CLA-2 uses 0.03–0.05).
  static let shortShare = 0.03
  /// Without a known step count, fewer warm-up steps than this are short.
  static let shortSteps = 100

  public static func evaluate(_ context: AttributionContext) -> Cause? {
    let series = context.diagnosis.series
    let warmup = context.settings.int(.warmupSteps) ?? (noRampInLearningRate(series) ? 0 : nil)
    guard let warmup else { return nil }
    let total = context.settings.int(.maxSteps) ?? context.diagnosis.lastStep
    let short: Bool
    if let total, total > 0 {
      short = Double(warmup) < shortShare * Double(total)
    } else {
      short = warmup < shortSteps
    }
    guard short else { return nil }
    // "Just after": within twice the warm-up, or the first 5 % of the run, whichever is longer.
    let window = max(2 * warmup, total.map { $0 / 20 } ?? shortSteps, 10)
    let early = context.troubles.filter {
      $0.step <= window && [.lossSpike, .gradNormSpike, .divergence, .nan].contains($0.kind)
    }
    guard !early.isEmpty else { return nil }
    let warmupText = warmup == 0 ? "no warm-up" : "a \(warmup)-step warm-up"
    let totalText = total.map { " (\($0) steps in all)" } ?? ""
    let explanation =
      "\(early.count) finding(s) by step \(window) (first at step \(early[0].step)) with \(warmupText)\(totalText):"
      + " the learning rate reaches its peak before the optimizer's statistics settle."
    let ratio = context.settings.double(.warmupRatio)
    return Cause(
      kind: kind, confidence: early.contains { $0.step <= max(warmup, 1) * 2 } ? .high : .medium,
      findings: early.map(FindingReference.init), explanation: explanation,
      suggestions: [Suggestions.longerWarmup(currentRatio: ratio, currentSteps: warmup, totalSteps: total)])
  }

  /// The learning-rate series starts at its peak: nothing warms up.
  static func noRampInLearningRate(_ series: RunSeries) -> Bool {
    let rates = (0..<min(series.count, 1000)).compactMap { series.learningRate(at: $0) }.filter { $0.isFinite && $0 > 0 }
    guard let first = rates.first, rates.count >= 3, let peak = rates.max() else { return false }
    return first >= 0.9 * peak
  }
}
