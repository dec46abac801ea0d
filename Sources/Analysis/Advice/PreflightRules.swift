internal import LogParse

/// A problem found in a run's settings before it starts.
public struct PreflightCheck: Sendable {
  public var kind: String
  public var severity: Severity
  public var message: String
  public var suggestion: Suggestion?
}

/// The rules that need only the settings (no log): clipping, precision for the model family, the
/// learning rate against a reference, warm-up against the run's length (stability.md §2, App. B).
public enum PreflightRules {
  /// Families pretrained in bf16, for which fp16 fine-tuning overflows (stability.md §5.1: Qwen #670,
  /// Chinese-LLaMA-Alpaca-2 #443).
  static let bf16Families = ["llama-2", "llama2", "llama-3", "llama3", "qwen", "mistral", "mixtral", "gemma", "deepseek", "yi-"]
  /// A warm-up under this share of the steps is short (CLA-2 uses 0.03–0.05).
  static let shortWarmupShare = 0.01

  public static func check(_ settings: RunSettings, table: SettingsTable, reference: Reference?) -> [PreflightCheck] {
    var checks: [PreflightCheck] = []
    let deepSpeed = settings[.zeroStage] != nil
    if let clip = settings.double(.maxGradNorm), clip <= 0 {
      checks.append(
        PreflightCheck(
          kind: "no_clipping", severity: .warning,
          message: "gradient clipping is off (max_grad_norm \(ShortNumber.format(clip))): one bad batch can move the weights arbitrarily far",
          suggestion: Suggestions.enableClipping(current: clip, deepSpeedConfig: deepSpeed)))
    }
    if settings[.precision]?.value == .string("fp16"), case .string(let model)? = table.last("model_name_or_path")?.event.value,
      let family = bf16Families.first(where: { model.lowercased().contains($0) })
    {
      checks.append(
        PreflightCheck(
          kind: "fp16_on_bf16_model", severity: .warning,
          message: "fp16 on \(model) (a \(family.filter { $0 != "-" }) model, pretrained in bf16): expect overflows, a collapsing loss scale, or loss 0.0 with grad_norm nan",
          suggestion: Suggestions.useBF16(deepSpeedConfig: deepSpeed)))
    }
    if let reference, let total = settings.int(.totalBatchSize), let rate = settings.double(.learningRate) {
      let rule = LearningRateScaling.recommended(forOptimizer: nil)
      let expected = rule.scale(reference.learningRate, from: reference.totalBatch, to: total)
      if rate > expected * LearningRateRule.tolerance || (total != reference.totalBatch && rate == reference.learningRate) {
        checks.append(
          PreflightCheck(
            kind: "lr_for_batch", severity: rate > expected * 2 ? .warning : .info,
            message: "learning rate \(ShortNumber.format(rate)) at total batch \(total); \(reference.origin) used \(ShortNumber.format(reference.learningRate)) at \(reference.totalBatch)",
            suggestion: Suggestions.learningRate(
              current: rate, total: total, referenceLearningRate: reference.learningRate, referenceTotal: reference.totalBatch,
              optimizer: nil, identity: settings.batch)))
      }
    }
    let warmup = settings.int(.warmupSteps) ?? 0
    let ratio = settings.double(.warmupRatio) ?? 0
    if let steps = settings.int(.maxSteps), steps > 0, Double(warmup) < shortWarmupShare * Double(steps), ratio < shortWarmupShare {
      checks.append(
        PreflightCheck(
          kind: "short_warmup", severity: .warning,
          message: "warm-up of \(warmup) steps for \(steps) steps (\(Format.percent(Double(warmup) / Double(steps)))): the peak learning rate comes before Adam's statistics settle",
          suggestion: Suggestions.longerWarmup(currentRatio: ratio, currentSteps: warmup, totalSteps: steps)))
    } else if settings.int(.maxSteps) == nil, warmup == 0, ratio == 0, settings[.warmupSteps] != nil || settings[.warmupRatio] != nil {
      checks.append(
        PreflightCheck(
          kind: "short_warmup", severity: .warning, message: "no warm-up: the learning rate starts at its peak",
          suggestion: Suggestions.longerWarmup(currentRatio: 0, currentSteps: 0, totalSteps: nil)))
    }
    return checks
  }
}
