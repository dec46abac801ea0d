internal import LogParse

/// fp16's narrow range: overflow storms, a collapsing loss scale, or NaN under fp16 point at the
/// precision (stability.md §5.1, §5.8, Appendix B: bf16, or a higher `initial_scale_power`).
public enum PrecisionRule: AttributionRule {
  public static let kind = CauseKind.fp16Range

  public static func evaluate(_ context: AttributionContext) -> Cause? {
    let precision = context.settings[.precision]?.value
    let scaleTrouble = context.troubles.filter { [.lossScaleCollapse, .overflowStorm, .skippedSteps].contains($0.kind) }
    let nans = context.troubles.filter { $0.kind == .nan }
    let statedFP16 = precision == .string("fp16")
    guard precision != .string("bf16"), !scaleTrouble.isEmpty || (statedFP16 && !nans.isEmpty) else { return nil }
    let involved = scaleTrouble + (statedFP16 ? nans : [])
    let confidence: Confidence =
      statedFP16 && (scaleTrouble.contains { $0.kind == .lossScaleCollapse } || !nans.isEmpty) ? .high : .medium
    var explanation = statedFP16 ? "The run trains in fp16" : "The run uses fp16 loss scaling"
    explanation += ": " + involved.prefix(3).map(\.message).joined(separator: "; ") + "."
    explanation += " fp16 overflows where bf16 would not; models pretrained in bf16 (Llama, Qwen, Mistral) are the usual victims."
    return Cause(
      kind: kind, confidence: confidence, findings: involved.map(FindingReference.init), explanation: explanation,
      suggestions: [Suggestions.useBF16(deepSpeedConfig: context.usesDeepSpeed)])
  }
}
