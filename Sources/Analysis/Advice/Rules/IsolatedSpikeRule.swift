internal import LogParse

/// Isolated spikes after warm-up that recovered: nothing in the settings to blame (PaLM saw ~20 such
/// spikes in a 540B run and restarted ~100 steps before each, skipping 200–500 batches; stability.md §1.1).
public enum IsolatedSpikeRule: AttributionRule {
  public static let kind = CauseKind.noSettingToBlame

  public static func evaluate(_ context: AttributionContext) -> Cause? {
    // Clip saturation that the spikes themselves cause is no separate trouble here.
    let troubles = context.troubles.filter { $0.kind != .clipSaturation }
    guard !troubles.isEmpty,
      troubles.allSatisfy({ [.lossSpike, .gradNormSpike].contains($0.kind) && $0.recovery != .never })
    else { return nil }
    let warmup = context.settings.int(.warmupSteps) ?? 0
    guard troubles.allSatisfy({ $0.step > 2 * warmup }) else { return nil }
    let steps = troubles.map { String($0.step) }.joined(separator: ", ")
    return Cause(
      kind: kind, confidence: .medium, findings: troubles.map(FindingReference.init),
      explanation: "Spikes at step(s) \(steps) came after warm-up and recovered: no setting explains them, so no change is suggested."
        + " If one does not recover, the known practice is to restart from a checkpoint ~100 steps before it and skip the next ~200–500 batches (PaLM).")
  }
}
