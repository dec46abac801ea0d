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

  public init(loggingSteps: Int? = nil) {
    self.loggingSteps = loggingSteps.flatMap { $0 > 0 ? $0 : nil }
  }

  /// The row for `event` when it is a training step, else `nil`.
  public mutating func add(_ event: LogEvent) -> SeriesRow? {
    guard case .trainingStep(let record) = event else { return nil }
    recordCount += 1
    let step: Int
    let basis: StepBasis
    if let logged = record.step {
      (step, basis) = (logged, .logged)
    } else if let loggingSteps {
      (step, basis) = (recordCount * loggingSteps, .loggingSteps)
    } else {
      (step, basis) = (recordCount, .order)
    }
    lastStep = step
    return SeriesRow(
      location: record.location, step: step, stepBasis: basis, epoch: record.epoch, loss: record.loss,
      gradNorm: record.gradNorm, learningRate: record.learningRate)
  }
}
