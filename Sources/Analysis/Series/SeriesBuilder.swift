public import LogParse

/// How a row's step number was found.
public enum StepBasis: String, Sendable, Codable {
  /// The log line printed the step.
  case logged
  /// The k-th record is step k × `logging_steps`.
  case loggingSteps = "logging_steps"
  /// The k-th record is step k: the log gave neither a step nor `logging_steps`.
  case order
}

/// One training record with its step number, ready to print or to analyse.
public struct SeriesRow: Sendable {
  public var location: SourceLocation
  public var step: Int
  public var stepBasis: StepBasis
  public var epoch: Double?
  public var loss: Double?
  public var gradNorm: Double?
  public var learningRate: Double?
  /// fp16 loss scale printed with the step (Megatron).
  public var lossScale: Double?
  /// Skipped steps as printed: DeepSpeed's cumulative count, Megatron's count in the logging window.
  public var skipped: Int?
  /// Overflow messages (skipped fp16 steps, hysteresis, minimum reached) since the previous row of
  /// the same input.
  public var overflowCount: Int = 0
  /// The global batch size printed with the step (Megatron; changes during ramp-up).
  public var globalBatchSize: Int?
  /// The rank a launcher prefix named.
  public var rank: Int?
}

/// Turns a stream of events into numbered training rows, one event at a time.
///
/// HF Trainer's printed dicts carry no step number (log-formats.md §1.1), so records are numbered
/// by `logging_steps` when it is known, else by their order, and each row says which.
///
/// - Complexity: O(1) per event; no state grows with the input.
public struct SeriesBuilder: Sendable {
  public let loggingSteps: Int?
  private var recordCount = 0
  private var lastStep = 0
  private var overflowsSinceRow = 0

  public init(loggingSteps: Int? = nil) {
    self.loggingSteps = loggingSteps.flatMap { $0 > 0 ? $0 : nil }
  }

  /// The row for `event` when it is a training step, else `nil`.
  public mutating func add(_ event: LogEvent) -> SeriesRow? {
    if case .overflow = event { overflowsSinceRow += 1 }
    guard case .trainingStep(let record) = event else { return nil }
    let step: Int
    let basis: StepBasis
    if let logged = record.step {
      (step, basis) = (logged, .logged)
    } else if let loggingSteps {
      // Only records without a printed step are numbered (DeepSpeed's `step=` lines carry theirs).
      recordCount += 1
      (step, basis) = (recordCount * loggingSteps, .loggingSteps)
    } else {
      recordCount += 1
      (step, basis) = (recordCount, .order)
    }
    lastStep = step
    defer { overflowsSinceRow = 0 }
    return SeriesRow(
      location: record.location, step: step, stepBasis: basis, epoch: record.epoch, loss: record.loss,
      gradNorm: record.gradNorm, learningRate: record.learningRate, lossScale: record.lossScale,
      skipped: record.skipped, overflowCount: overflowsSinceRow, globalBatchSize: record.globalBatchSize,
      rank: record.rank)
  }
}
