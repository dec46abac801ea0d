/// The concrete changes `diagnose` knows how to compute, each with its rule and arithmetic
/// (stability.md §2.2 and Appendix B).
public enum Suggestions {
  /// The learning rate for the run's total batch, given one known to work at another total.
  public static func learningRate(
    current: Double, total: Int, referenceLearningRate: Double, referenceTotal: Int, optimizer: String?,
    identity: BatchIdentity?, usesDeepSpeedOptimizer: Bool = false
  ) -> Suggestion {
    let rule = LearningRateScaling.recommended(forOptimizer: optimizer)
    let suggested = rule.scale(referenceLearningRate, from: referenceTotal, to: total)
    var arithmetic = rule.arithmetic(referenceLearningRate, from: referenceTotal, to: total)
    if let identity { arithmetic += "; total batch \(identity.arithmetic)" }
    let other = rule == .squareRoot ? LearningRateScaling.linear : .squareRoot
    let reason =
      "\(ShortNumber.format(referenceLearningRate)) worked at total batch \(referenceTotal); this run's total is \(total)"
      + " (the \(other.title) would give \(ShortNumber.format(other.scale(referenceLearningRate, from: referenceTotal, to: total))))"
    return Suggestion(
      setting: "learning_rate", current: ShortNumber.format(current), suggested: ShortNumber.format(suggested),
      rule: rule.title, arithmetic: arithmetic, reason: reason,
      deepSpeedKeys: usesDeepSpeedOptimizer ? ["\"optimizer\": {\"params\": {\"lr\": \(ShortNumber.format(suggested))}}"] : [])
  }

  /// The gradient-accumulation steps that bring the total batch back to `targetTotal` at the same
  /// per-device batch (same memory per GPU).
  public static func accumulationForTotal(
    _ identity: BatchIdentity, targetTotal: Int, deepSpeedConfig: Bool
  ) -> Suggestion? {
    let perStep = identity.perDevice * identity.worldSize
    guard perStep > 0, targetTotal % perStep == 0, targetTotal / perStep != identity.gradientAccumulation else {
      return nil
    }
    let accumulation = targetTotal / perStep
    var restored = identity
    restored.gradientAccumulation = accumulation
    return Suggestion(
      setting: "gradient_accumulation_steps", current: String(identity.gradientAccumulation),
      suggested: String(accumulation), rule: "batch identity",
      arithmetic: "keeps per-device \(identity.perDevice), total \(identity.total) → \(restored.total)"
        + " (\(restored.perDevice) × \(accumulation) × \(restored.gpusPerNode) × \(restored.nodes))",
      reason: "same per-device memory, total batch back to \(targetTotal)",
      deepSpeedKeys: deepSpeedConfig
        ? ["\"gradient_accumulation_steps\": \(accumulation) (or \"auto\")", "\"train_batch_size\": \(restored.total) (or \"auto\")"]
        : [])
  }

  /// A longer warm-up when spikes come during or right after a short one.
  public static func longerWarmup(currentRatio: Double?, currentSteps: Int?, totalSteps: Int?) -> Suggestion {
    let target = recommendedWarmupRatio
    let current =
      currentRatio.flatMap { $0 > 0 ? ShortNumber.format($0) : nil }
      ?? currentSteps.flatMap { $0 > 0 ? "\($0) steps" : nil } ?? "0"
    var arithmetic = "warmup_ratio \(ShortNumber.format(target))"
    if let totalSteps { arithmetic += " × \(totalSteps) steps = \(Int((Double(totalSteps) * target).rounded(.up))) warm-up steps" }
    return Suggestion(
      setting: "warmup_ratio", current: current, suggested: ShortNumber.format(target), rule: "longer warm-up",
      arithmetic: arithmetic,
      reason: "spikes during or just after a short warm-up: the peak learning rate is reached too fast (llm-foundry #232/#330, Gopher's 1.5k-step warm-up)")
  }

  /// stability.md Appendix B: extend warm-up; 3–5 % of the steps is the common practice (CLA-2 uses
  /// 0.03–0.05, Llama-style runs ~2,000 steps of a few 10⁵).
  public static let recommendedWarmupRatio = 0.05

  /// Clipping at 1.0, the value nearly every large run uses (Llama 2, OPT, Gopher; stability.md §1.1).
  public static func enableClipping(current: Double?, deepSpeedConfig: Bool) -> Suggestion {
    Suggestion(
      setting: "max_grad_norm", current: current.map { ShortNumber.format($0) } ?? "0", suggested: "1.0",
      rule: "gradient clipping", arithmetic: "clip the global grad norm at 1.0",
      reason: "grad-norm spikes with clipping off let one bad batch move the weights arbitrarily far",
      deepSpeedKeys: deepSpeedConfig ? ["\"gradient_clipping\": 1.0 (or \"auto\")"] : [])
  }

  /// bf16 instead of fp16 for overflow storms, loss-scale collapse and NaN under fp16.
  public static func useBF16(deepSpeedConfig: Bool) -> Suggestion {
    Suggestion(
      setting: "precision", current: "fp16", suggested: "bf16", rule: "precision",
      arithmetic: "--bf16 instead of --fp16 (needs Ampere or newer)",
      reason: "fp16's range overflows: the loss scale keeps halving; bf16 has fp32's range and needs no loss scaling (Qwen #670, CLA-2 #443, HF DeepSpeed docs)",
      deepSpeedKeys: deepSpeedConfig ? ["\"bf16\": {\"enabled\": \"auto\"}", "\"fp16\": {\"enabled\": false}"] : [])
  }
}
