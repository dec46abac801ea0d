/// What a detector found: a kind, a severity, where, how far from normal, and the log lines behind it.
///
/// Field names follow the `diagnose.report/1` JSON contract (see `schemas/`); new fields may be
/// added, none renamed.
public struct Finding: Sendable, Equatable {
  public var kind: FindingKind
  public var severity: Severity
  /// The series the finding is about: `loss`, `grad_norm`, `loss_scale`, `skipped`, `epoch`, `step`, `learning_rate`.
  public var metric: String
  /// The first step involved (for a divergence, the estimated onset).
  public var step: Int
  /// The last step involved; equal to `step` for a single point.
  public var endStep: Int
  /// The worst value seen (the spike's peak, the first NaN, the smallest scale…).
  public var value: Double?
  /// What the value is compared with (the trailing median, the running minimum, the threshold…).
  public var baseline: Double?
  /// How far from the baseline, in the detector's own unit (robust z, CUSUM sum, share…).
  public var score: Double?
  public var message: String
  public var evidence: [Evidence]
  /// The step at which an online detector raised it: what a live watcher would have seen then.
  public var raisedAtStep: Int
  /// For spikes, known only in hindsight: whether and how fast the series came back.
  public var recovery: Recovery?
  /// For spikes: the step of the spike in the other metric that goes with it (grad-norm leads loss).
  public var coSpikeStep: Int?

  public init(
    kind: FindingKind, severity: Severity, metric: String, step: Int, endStep: Int? = nil, value: Double? = nil,
    baseline: Double? = nil, score: Double? = nil, message: String, evidence: [Evidence] = [], raisedAtStep: Int? = nil
  ) {
    self.kind = kind
    self.severity = severity
    self.metric = metric
    self.step = step
    self.endStep = endStep ?? step
    self.value = value
    self.baseline = baseline
    self.score = score
    self.message = message
    self.evidence = evidence
    self.raisedAtStep = raisedAtStep ?? step
  }
}

/// The kinds of finding; raw values are the JSON contract's names (extend, never rename).
public enum FindingKind: String, Sendable, CaseIterable, Codable {
  case lossSpike = "loss_spike"
  case gradNormSpike = "grad_norm_spike"
  case divergence
  case nan
  case lossScaleCollapse = "loss_scale_collapse"
  case overflowStorm = "overflow_storm"
  case skippedSteps = "skipped_steps"
  case clipSaturation = "clip_saturation"
  case epochBoundary = "epoch_boundary"
  case resume
  case restart
  case warmupEnd = "warmup_end"
  /// Settings checks (no step of their own: they are reported at the run's first step).
  case totalBatchMismatch = "total_batch_mismatch"
  case deepSpeedConfigMismatch = "deepspeed_config_mismatch"
  case deepSpeedBatchAssertion = "deepspeed_batch_assertion"
  case worldSizeMismatch = "world_size_mismatch"
}

public enum Severity: String, Sendable, Comparable, CaseIterable, Codable {
  case info, warning, critical

  private var rank: Int {
    switch self {
    case .info: 0
    case .warning: 1
    case .critical: 2
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One log line behind a finding.
public struct Evidence: Sendable, Equatable, Hashable {
  public var source: String
  public var line: Int

  public init(source: String, line: Int) {
    self.source = source
    self.line = line
  }
}

/// How a spike ended, in hindsight (stability.md §0.8, Bekman's taxonomy).
public enum Recovery: String, Sendable, Codable {
  /// Back to the pre-spike level within ``Recovery/fastLimitSteps`` steps.
  case fast
  /// Back, but later.
  case slow
  /// Never back before the segment ends (`none` in JSON; not `.none`, which Optional owns).
  case never = "none"
  /// Too few points after the spike to tell.
  case unknown

  /// stability.md §1.3: fast is "< ~50–200 steps", slow "~10³"; 200 is the generous end of fast.
  public static let fastLimitSteps = 200
}
