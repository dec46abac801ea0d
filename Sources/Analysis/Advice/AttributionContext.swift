internal import LogParse

/// Everything attribution looks at for one run: its diagnosis, its settings, and what it is compared
/// with.
public struct AttributionContext: Sendable {
  public var diagnosis: RunDiagnosis
  public var settings: RunSettings
  /// A run known to behave, to compare the batch and learning rate with (`--baseline`, or
  /// `--reference-batch` and `--reference-lr`).
  public var reference: Reference?
  /// The consistency problems of the settings.
  public var problems: [ConsistencyProblem]

  public init(diagnosis: RunDiagnosis, settings: RunSettings, reference: Reference? = nil, problems: [ConsistencyProblem] = []) {
    self.diagnosis = diagnosis
    self.settings = settings
    self.reference = reference
    self.problems = problems
  }

  /// The findings that mean trouble: spikes, divergence, NaN, fp16 storms (not information).
  public var troubles: [Finding] {
    diagnosis.findings.filter { $0.severity >= .warning && Self.troubleKinds.contains($0.kind) }
  }

  static let troubleKinds: Set<FindingKind> = [
    .lossSpike, .gradNormSpike, .divergence, .nan, .lossScaleCollapse, .overflowStorm, .skippedSteps, .clipSaturation,
  ]

  /// Whether a DeepSpeed config is part of the run (its keys are worth giving).
  public var usesDeepSpeed: Bool {
    settings.values.values.contains { setting in
      setting.sources.contains { $0.event.source == .deepSpeedConfigFile || $0.event.source == .deepSpeedEngineDump }
    } || settings[.zeroStage] != nil
  }

  /// The run's total batch and the identity behind it, when known.
  public var totalBatch: Int? { settings.int(.totalBatchSize) }
}

/// A total batch and a learning rate known to work together.
public struct Reference: Sendable {
  public var totalBatch: Int
  public var learningRate: Double
  /// Where it comes from: `--baseline old.log` or `--reference-batch/--reference-lr`.
  public var origin: String
  /// The reference run's identity, when known (to name what changed: GPUs, nodes, GAS).
  public var identity: BatchIdentity?
  /// The reference run's median loss and grad-norm over its first logged steps, with its GAS, for
  /// the gradient-accumulation normalisation check.
  public var earlyLevels: EarlyLevels?

  public init(totalBatch: Int, learningRate: Double, origin: String, identity: BatchIdentity? = nil, earlyLevels: EarlyLevels? = nil) {
    self.totalBatch = totalBatch
    self.learningRate = learningRate
    self.origin = origin
    self.identity = identity
    self.earlyLevels = earlyLevels
  }
}

/// Median loss and grad norm over a run's first logged steps.
public struct EarlyLevels: Sendable {
  public var loss: Double?
  public var gradNorm: Double?
  public var accumulation: Int?

  public init(loss: Double?, gradNorm: Double?, accumulation: Int?) {
    self.loss = loss
    self.gradNorm = gradNorm
    self.accumulation = accumulation
  }

  /// Medians over the first `count` logged steps of `series`.
  public init(series: RunSeries, accumulation: Int?, count: Int = 20) {
    let limit = min(count, series.count)
    let losses = (0..<limit).compactMap { series.loss(at: $0) }.filter(\.isFinite)
    let norms = (0..<limit).compactMap { series.gradNorm(at: $0) }.filter(\.isFinite)
    self.init(loss: Self.median(losses), gradNorm: Self.median(norms), accumulation: accumulation)
  }

  static func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}
