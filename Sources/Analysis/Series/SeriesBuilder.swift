public import LogParse

/// How a row's step number was found.
public enum StepBasis: String, Sendable, Codable {
  /// The log line printed the step.
  case logged
  /// The k-th record is step k × `logging_steps` (after `logging_first_step`'s step 1, and counted
  /// from the step a resume line names).
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
  /// The run segment of the input, from 1: a restart in the same file starts the next one; a
  /// resume stays in the same run.
  public var run: Int = 1
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

extension SeriesRow {
  /// The row of `record` numbered by `numbering`.
  init(_ record: borrowing TrainingStep, _ numbering: RowNumbering) {
    self.init(
      location: record.location, step: numbering.step, stepBasis: numbering.stepBasis, epoch: record.epoch,
      loss: record.loss, gradNorm: record.gradNorm, learningRate: record.learningRate, run: numbering.run,
      lossScale: record.lossScale, skipped: numbering.skipped, overflowCount: numbering.overflowCount,
      globalBatchSize: record.globalBatchSize, rank: record.rank)
  }
}

/// What makes a training record a row: its step number and run, and the counts that other events
/// before it carried. A ``SeriesRow`` is the record's values with these.
public struct RowNumbering: Sendable, Equatable {
  public var step: Int
  public var stepBasis: StepBasis
  public var run: Int
  /// The record's own skipped count, else the one of the DeepSpeed progress line before it.
  public var skipped: Int?
  public var overflowCount: Int

  public init(step: Int, stepBasis: StepBasis, run: Int, skipped: Int?, overflowCount: Int) {
    self.step = step
    self.stepBasis = stepBasis
    self.run = run
    self.skipped = skipped
    self.overflowCount = overflowCount
  }
}

/// One evaluation record, keyed by the step it followed.
public struct EvaluationRow: Sendable {
  public var location: SourceLocation
  /// The logged step, else the step of the last training row before it (HF evaluates right after
  /// the optimizer step it logs), else 0.
  public var step: Int
  public var stepBasis: StepBasis
  public var epoch: Double?
  /// `eval_loss`; `nil` for an eval dict without it (a model that returns no loss).
  public var loss: Double?
  public var run: Int
}

/// Turns a stream of events into numbered training rows, one event at a time.
///
/// HF Trainer's printed dicts carry no step number (log-formats.md §1.1), so records are numbered
/// by `logging_steps` when it is known (given, or stated by the input: a `TrainingArguments` dump,
/// a launch command), else by their order, and each row says which. `logging_first_step` puts
/// the first record of a run at step 1. Run segments follow ``RunBoundary`` events and logged step
/// numbers that go back (log-formats.md §6 "Step counters").
///
/// - Complexity: O(1) per event; no state grows with the input.
public struct SeriesBuilder: Sendable {
  /// `logging_steps` given by the caller; it wins over any the input states.
  public let loggingSteps: Int?
  private var statedLoggingSteps: Int?
  /// `logging_steps` below 1 is a fraction of the run's steps (TrainingArguments' docs); HF turns it
  /// into `ceil(max_steps × fraction)` once it knows `max_steps`.
  private var loggingFraction: Double?
  private var maxSteps: Int?
  private var loggingFirstStep = false
  private var recordCount = 0
  private var lastStep = 0
  private var lastBasis = StepBasis.order
  private var lastLoggedStep: Int?
  /// Where HF records are counted from: 0, or the step a resume line names.
  private var base = 0
  private(set) public var run = 1
  private var rowsInRun = 0
  /// The run before a `start` boundary that no row followed yet, so that a resume line right after
  /// a banner keeps the run it continues.
  private var runBeforeStart: Int?
  private var overflowsSinceRow = 0
  /// DeepSpeed's cumulative `skipped=` from its last progress line, for the next row.
  private var pendingSkipped: Int?

  public init(loggingSteps: Int? = nil) {
    self.loggingSteps = loggingSteps.flatMap { $0 > 0 ? $0 : nil }
  }

  /// The `logging_steps` in effect: the caller's, else the one the input stated last.
  ///
  /// Inlined: called from ``number(_:)``, the getter was handed a copy of the whole builder
  /// (161 bytes) at every row.
  public var effectiveLoggingSteps: Int? {
    @inline(__always) get {
      if let steps = loggingSteps ?? statedLoggingSteps { return steps }
      guard let loggingFraction, let maxSteps else { return nil }
      return Int((Double(maxSteps) * loggingFraction).rounded(.up))
    }
  }

  /// The row for `event` when it is a training step, else `nil`; other events update the state.
  public mutating func add(_ event: LogEvent) -> SeriesRow? {
    switch event {
    case .trainingStep(let record):
      guard let numbering = number(record) else { return nil }
      return SeriesRow(record, numbering)
    case .overflow: overflowsSinceRow += 1
    case .setting(let setting): learn(setting)
    case .runBoundary(let boundary): cross(boundary)
    default: break
    }
    return nil
  }

  /// The row for `event` when it is an evaluation, else `nil`. Call ``add(_:)`` for every event
  /// as well (in either order), so that steps and runs are known.
  public func evaluation(_ event: LogEvent) -> EvaluationRow? {
    guard case .evaluation(let record) = event else { return nil }
    if let step = record.step {
      return EvaluationRow(
        location: record.location, step: step, stepBasis: .logged, epoch: record.epoch, loss: record.loss, run: run)
    }
    return EvaluationRow(
      location: record.location, step: lastStep, stepBasis: lastBasis, epoch: record.epoch, loss: record.loss, run: run)
  }

  /// The numbering of `record` when it makes a row, else `nil`, exactly as ``add(_:)`` numbers
  /// it (which calls this): for a caller that reads the record's values where they are instead
  /// of copying them into a ``SeriesRow`` (`diagnose series` writes a million rows a second).
  /// Events that are not training steps still go to ``add(_:)``.
  public mutating func number(_ record: borrowing TrainingStep) -> RowNumbering? {
    if record.format == .deepSpeedStep {
      // DeepSpeed's `step=N, skipped=K, lr=[…]` line is a progress counter without a loss, printed
      // beside the trainer's own records: not a row of its own, its skipped count goes with the
      // next row (the analysis treats it the same way).
      pendingSkipped = record.skipped
      return nil
    }
    let step: Int
    let basis: StepBasis
    if let logged = record.step {
      if let last = lastLoggedStep, logged < last {
        // The counter went back without a boundary saying why: a new run appended to the file.
        startRun()
      }
      lastLoggedStep = logged
      (step, basis) = (logged, .logged)
    } else {
      recordCount += 1
      if let every = effectiveLoggingSteps {
        let firstStepShift = loggingFirstStep && every > 1 && base == 0 ? 1 : 0
        if firstStepShift == 1 && recordCount == 1 {
          step = 1
        } else {
          step = base + (recordCount - firstStepShift) * every
        }
        basis = .loggingSteps
      } else {
        (step, basis) = (base + recordCount, .order)
      }
    }
    lastStep = step
    lastBasis = basis
    rowsInRun += 1
    runBeforeStart = nil
    defer {
      overflowsSinceRow = 0
      pendingSkipped = nil
    }
    return RowNumbering(
      step: step, stepBasis: basis, run: run, skipped: record.skipped ?? pendingSkipped,
      overflowCount: overflowsSinceRow)
  }

  private mutating func learn(_ setting: SettingEvent) {
    switch setting.name {
    case "logging_steps":
      if let value = setting.value.intValue, value > 0 {
        statedLoggingSteps = value
      } else if let fraction = setting.value.doubleValue, fraction > 0, fraction < 1 {
        statedLoggingSteps = nil
        loggingFraction = fraction
      }
    case "max_steps":
      if let value = setting.value.intValue, value > 0 { maxSteps = value }
    case "logging_first_step":
      if case .bool(let flag) = setting.value { loggingFirstStep = flag }
    default: break
    }
  }

  private mutating func cross(_ boundary: RunBoundary) {
    switch boundary.kind {
    case .start:
      guard rowsInRun > 0 else { return }
      runBeforeStart = run
      startRun()
    case .resume:
      if rowsInRun == 0, let previous = runBeforeStart { run = previous }
      runBeforeStart = nil
      if let from = boundary.fromStep {
        base = from
        recordCount = 0
        lastLoggedStep = from
      }
    }
  }

  private mutating func startRun() {
    run += 1
    rowsInRun = 0
    recordCount = 0
    base = 0
    lastLoggedStep = nil
  }
}
