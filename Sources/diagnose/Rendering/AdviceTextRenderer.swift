import Analysis
import LogParse

/// The settings line, causes and suggestions of a run, as text under its findings.
struct AdviceTextRenderer {
  func render(_ assessment: RunAssessment, into output: inout OutputBuffer) {
    if let summary = Self.settingsSummary(assessment.settings) {
      output.append("  settings: \(summary)")
      output.endLine()
    }
    for cause in assessment.causes {
      output.append("  cause (\(cause.confidence.rawValue) confidence) \(cause.kind.rawValue): \(cause.explanation)")
      output.endLine()
      for suggestion in cause.suggestions {
        output.append("    suggest: \(suggestion.line)")
        output.endLine()
        for key in suggestion.deepSpeedKeys {
          output.append("             DeepSpeed config: \(key)")
          output.endLine()
        }
      }
    }
    if assessment.causes.isEmpty, assessment.diagnosis.worstSeverity.map({ $0 > .info }) ?? false {
      output.append("  no setting explains the findings: no change suggested")
      output.endLine()
    }
  }

  /// `total batch 256 = 1 × 8 × 8 × 4; lr 2e-4 (cosine, 30 warm-up steps); fp16; ZeRO 2; clip 1`.
  static func settingsSummary(_ settings: RunSettings) -> String? {
    var parts: [String] = []
    if let identity = settings.batch {
      parts.append("total batch \(identity.arithmetic) (per-device × GAS × GPUs/node × nodes)")
    } else if let total = settings[.totalBatchSize], let value = total.value.intValue {
      parts.append("total batch \(value)" + (total.arithmetic.map { " (\($0))" } ?? ""))
    }
    if let rate = settings.double(.learningRate) {
      var text = "lr \(ShortNumber.format(rate))"
      var details: [String] = []
      if case .string(let schedule)? = settings[.lrSchedulerType]?.value { details.append(schedule) }
      if let warmup = settings.int(.warmupSteps), warmup > 0 {
        details.append("\(warmup) warm-up steps")
      } else if let ratio = settings.double(.warmupRatio), ratio > 0 {
        details.append("warm-up ratio \(ShortNumber.format(ratio))")
      }
      if !details.isEmpty { text += " (" + details.joined(separator: ", ") + ")" }
      parts.append(text)
    }
    if case .string(let precision)? = settings[.precision]?.value { parts.append(precision) }
    if let stage = settings.int(.zeroStage) { parts.append("ZeRO \(stage)") }
    if let clip = settings.double(.maxGradNorm) { parts.append(clip > 0 ? "clip \(ShortNumber.format(clip))" : "no clipping") }
    return parts.isEmpty ? nil : parts.joined(separator: "; ")
  }
}
