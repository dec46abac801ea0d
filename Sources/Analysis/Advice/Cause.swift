/// Why a run misbehaved, as far as its settings can tell: the findings it explains, how sure we
/// are, and the changes that address it.
///
/// JSON contract: `causes: [{kind, confidence, findings, explanation}]`; suggestions are listed with
/// the run and referenced from here.
public struct Cause: Sendable {
  public var kind: CauseKind
  public var confidence: Confidence
  /// The findings this cause explains (kind and step, as in the run's findings list).
  public var findings: [FindingReference]
  public var explanation: String
  public var suggestions: [Suggestion]

  public init(
    kind: CauseKind, confidence: Confidence, findings: [FindingReference], explanation: String,
    suggestions: [Suggestion] = []
  ) {
    self.kind = kind
    self.confidence = confidence
    self.findings = findings
    self.explanation = explanation
    self.suggestions = suggestions
  }
}

/// The causes `diagnose` can attribute; raw values are the JSON names (extend, never rename).
public enum CauseKind: String, Sendable, CaseIterable, Codable {
  case warmupTooShort = "warmup_too_short"
  case learningRateTooHighForBatch = "lr_too_high_for_batch"
  case batchChangedLearningRateDidNot = "batch_changed_lr_did_not"
  case clippingOffOrLoose = "clipping_off_or_loose"
  case fp16Range = "fp16_range"
  case smallBatchNoise = "small_batch_noise"
  case accumulationLossNormalisation = "gas_loss_normalisation"
  case configurationMismatch = "configuration_mismatch"
  case noSettingToBlame = "no_setting_to_blame"
}

public enum Confidence: String, Sendable, Codable, Comparable {
  case low, medium, high

  private var rank: Int {
    switch self {
    case .low: 0
    case .medium: 1
    case .high: 2
    }
  }

  public static func < (lhs: Confidence, rhs: Confidence) -> Bool { lhs.rank < rhs.rank }
}

/// A finding named by its kind and first step.
public struct FindingReference: Sendable, Equatable {
  public var kind: FindingKind
  public var step: Int

  public init(_ finding: Finding) {
    kind = finding.kind
    step = finding.step
  }
}
