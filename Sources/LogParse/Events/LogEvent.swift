/// What a parser read from a log: typed, with the place it came from.
///
/// LogParse only reports what the log says; deciding whether a value is a spike, a disguised NaN or
/// a misconfiguration is Analysis' job.
public enum LogEvent: Sendable {
  /// One optimizer step's (or one logging window's) training metrics.
  case trainingStep(TrainingStep)
  /// An evaluation dict (`eval_loss`, `eval_runtime`, …).
  case evaluation(Evaluation)
  /// The end-of-training summary dict (`train_runtime`, `train_loss`, …); not a step.
  case trainingSummary(TrainingSummary)
  /// A setting the log (or a config or command) states, with where it was read.
  case setting(SettingEvent)
  /// An fp16 loss-scale overflow (a skipped step), or the fatal "already at minimum".
  case overflow(OverflowEvent)
  /// A new training run starts in the same file, or a run resumes from a checkpoint.
  case runBoundary(RunBoundary)
  /// Something in the input that could not be read as expected; the rest goes on.
  case note(ParseNote)
  /// DeepSpeed's throughput timer line (samples/s, memory, micro and global step counters).
  case throughput(ThroughputSample)
  /// A configuration error the log reports with its numbers (DeepSpeed's batch assertion, HF's
  /// DeepSpeed mismatch list).
  case configurationError(ConfigurationError)
  /// A format's note to the ``LogSequencer`` (see ``SequenceMark``); consumed there, never
  /// delivered by ``LogScanner``, ``ParallelScan`` or ``InputLoader``.
  case mark(SequenceMark)

  public var location: SourceLocation {
    switch self {
    case .trainingStep(let step): step.location
    case .evaluation(let evaluation): evaluation.location
    case .trainingSummary(let summary): summary.location
    case .setting(let setting): setting.location
    case .overflow(let overflow): overflow.location
    case .runBoundary(let boundary): boundary.location
    case .note(let note): note.location
    case .throughput(let sample): sample.location
    case .configurationError(let error): error.location
    case .mark(let mark): mark.location
    }
  }
}

/// The family of line a record was read from.
public enum RecordFormat: String, Sendable, Codable {
  /// HuggingFace Trainer's printed dict (`{'loss': …, 'learning_rate': …}`).
  case huggingFaceDict = "hf-dict"
  /// An entry of `trainer_state.json`'s `log_history`.
  case trainerState = "trainer-state"
  /// LLaMA-Factory's `trainer_log.jsonl`.
  case llamaFactoryJSONL = "llamafactory-jsonl"
  /// DeepSpeed's `step=N, skipped=K, lr=[…]` progress line.
  case deepSpeedStep = "deepspeed-step"
  /// DeepSpeed's pipeline engine `steps: N loss: X …` line.
  case deepSpeedPipeline = "deepspeed-pipeline"
  /// Megatron-LM / Megatron-DeepSpeed ` iteration N/M | …` line.
  case megatronIteration = "megatron-iteration"
}

/// A value with the name the log gave it (a Megatron loss key).
public struct NamedValue: Sendable, Equatable {
  public var name: String
  public var value: Double

  public init(name: String, value: Double) {
    self.name = name
    self.value = value
  }
}

/// Training metrics of one logged step, as the log printed them.
///
/// A value is `nil` when the log did not print it and `.nan`/`.infinity` when it printed that.
///
/// Stored compactly: a step is copied several times on its way from a format to a consumer (into
/// the scanner's events, out to the consumer, into a series row), so the optional numbers are
/// plain words with one presence bit each (128 bytes, against 241 with `Optional`s), and the three
/// lists that only DeepSpeed and Megatron lines fill share one reference (one retain per copy,
/// not three).
public struct TrainingStep: Sendable {
  public var location: SourceLocation
  public var format: RecordFormat
  /// The log printed no loss at all where the format omits a NaN or non-positive one (Megatron
  /// drops `lm loss` when its average is NaN or ≤ 0; log-formats.md §3). `loss` is then `.nan`
  /// when the same line printed `grad norm: nan`/`inf`, else `nil`.
  public var lossOmitted: Bool = false
  /// One bit per optional field below (``Field``): set when the field holds a value.
  private var present: UInt16 = 0
  private var stepValue = 0
  private var epochValue = 0.0
  private var lossValue = 0.0
  private var gradNormValue = 0.0
  private var learningRateValue = 0.0
  private var lossScaleValue = 0.0
  private var skippedValue = 0
  private var nanIterationsValue = 0
  private var globalBatchSizeValue = 0
  private var rankValue = 0
  private var totalStepsValue = 0
  private var consumedSamplesValue = 0
  private var lists: Lists?

  /// The step number when the line carries one (HF dicts do not).
  public var step: Int? {
    get { value(stepValue, .step) }
    set { Self.store(newValue, &stepValue, .step, &present) }
  }
  public var epoch: Double? {
    get { value(epochValue, .epoch) }
    set { Self.store(newValue, &epochValue, .epoch, &present) }
  }
  public var loss: Double? {
    get { value(lossValue, .loss) }
    set { Self.store(newValue, &lossValue, .loss, &present) }
  }
  public var gradNorm: Double? {
    get { value(gradNormValue, .gradNorm) }
    set { Self.store(newValue, &gradNormValue, .gradNorm, &present) }
  }
  public var learningRate: Double? {
    get { value(learningRateValue, .learningRate) }
    set { Self.store(newValue, &learningRateValue, .learningRate, &present) }
  }
  /// fp16 loss scale (Megatron `loss scale:`), when printed.
  public var lossScale: Double? {
    get { value(lossScaleValue, .lossScale) }
    set { Self.store(newValue, &lossScaleValue, .lossScale, &present) }
  }
  /// Skipped steps: DeepSpeed's cumulative `skipped=`, or Megatron's per-window count.
  public var skipped: Int? {
    get { value(skippedValue, .skipped) }
    set { Self.store(newValue, &skippedValue, .skipped, &present) }
  }
  /// Megatron's `number of nan iterations` in the logging window.
  public var nanIterations: Int? {
    get { value(nanIterationsValue, .nanIterations) }
    set { Self.store(newValue, &nanIterationsValue, .nanIterations, &present) }
  }
  /// The global batch size printed with the step (Megatron, changes during ramp-up).
  public var globalBatchSize: Int? {
    get { value(globalBatchSizeValue, .globalBatchSize) }
    set { Self.store(newValue, &globalBatchSizeValue, .globalBatchSize, &present) }
  }
  /// The rank or node that printed the line, when a prefix says so.
  public var rank: Int? {
    get { value(rankValue, .rank) }
    set { Self.store(newValue, &rankValue, .rank, &present) }
  }
  /// The run's total steps when the line says (Megatron's `iteration N/M`).
  public var totalSteps: Int? {
    get { value(totalStepsValue, .totalSteps) }
    set { Self.store(newValue, &totalStepsValue, .totalSteps, &present) }
  }
  /// Megatron's cumulative `consumed samples`.
  public var consumedSamples: Int? {
    get { value(consumedSamplesValue, .consumedSamples) }
    set { Self.store(newValue, &consumedSamplesValue, .consumedSamples, &present) }
  }
  /// DeepSpeed's `lr=[…]`: one learning rate per parameter group (`learningRate` is the first).
  public var learningRates: [Double]? {
    get { lists?.learningRates }
    set { lists = Lists.make(newValue, lists?.momentum, lists?.losses) }
  }
  /// DeepSpeed's `mom=[…]`: per parameter group, the betas tuple or list, or the single momentum.
  public var momentum: [[Double]]? {
    get { lists?.momentum }
    set { lists = Lists.make(lists?.learningRates, newValue, lists?.losses) }
  }
  /// Megatron's loss keys in printed order (`lm loss`, `mtp_1 loss`, …); `loss` is `lm loss`.
  public var losses: [NamedValue]? {
    get { lists?.losses }
    set { lists = Lists.make(lists?.learningRates, lists?.momentum, newValue) }
  }

  public init(
    location: SourceLocation, format: RecordFormat, step: Int? = nil, epoch: Double? = nil,
    loss: Double? = nil, gradNorm: Double? = nil, learningRate: Double? = nil, lossScale: Double? = nil,
    skipped: Int? = nil, nanIterations: Int? = nil, globalBatchSize: Int? = nil, rank: Int? = nil
  ) {
    self.location = location
    self.format = format
    self.step = step
    self.epoch = epoch
    self.loss = loss
    self.gradNorm = gradNorm
    self.learningRate = learningRate
    self.lossScale = lossScale
    self.skipped = skipped
    self.nanIterations = nanIterations
    self.globalBatchSize = globalBatchSize
    self.rank = rank
  }

  /// The presence bit of each optional number.
  private struct Field: OptionSet {
    let rawValue: UInt16
    static let step = Field(rawValue: 1 << 0)
    static let epoch = Field(rawValue: 1 << 1)
    static let loss = Field(rawValue: 1 << 2)
    static let gradNorm = Field(rawValue: 1 << 3)
    static let learningRate = Field(rawValue: 1 << 4)
    static let lossScale = Field(rawValue: 1 << 5)
    static let skipped = Field(rawValue: 1 << 6)
    static let nanIterations = Field(rawValue: 1 << 7)
    static let globalBatchSize = Field(rawValue: 1 << 8)
    static let rank = Field(rawValue: 1 << 9)
    static let totalSteps = Field(rawValue: 1 << 10)
    static let consumedSamples = Field(rawValue: 1 << 11)
  }

  @inline(__always)
  private func value<Value>(_ stored: Value, _ field: Field) -> Value? {
    present & field.rawValue != 0 ? stored : nil
  }

  @inline(__always)
  private static func store<Value>(_ value: Value?, _ slot: inout Value, _ field: Field, _ present: inout UInt16) {
    if let value {
      slot = value
      present |= field.rawValue
    } else {
      present &= ~field.rawValue
    }
  }

  /// The lists, immutable and shared between copies; a change makes a new box.
  private final class Lists: Sendable {
    let learningRates: [Double]?
    let momentum: [[Double]]?
    let losses: [NamedValue]?

    private init(_ learningRates: [Double]?, _ momentum: [[Double]]?, _ losses: [NamedValue]?) {
      self.learningRates = learningRates
      self.momentum = momentum
      self.losses = losses
    }

    /// A box for the lists, or `nil` when all are absent.
    static func make(_ learningRates: [Double]?, _ momentum: [[Double]]?, _ losses: [NamedValue]?) -> Lists? {
      if learningRates == nil && momentum == nil && losses == nil { return nil }
      return Lists(learningRates, momentum, losses)
    }
  }
}

/// An evaluation record; `loss` is `eval_loss` when the model returned one.
public struct Evaluation: Sendable {
  public var location: SourceLocation
  public var step: Int?
  public var epoch: Double?
  public var loss: Double?

  public init(location: SourceLocation, step: Int? = nil, epoch: Double? = nil, loss: Double? = nil) {
    self.location = location
    self.step = step
    self.epoch = epoch
    self.loss = loss
  }
}

/// The final summary of a training run (`train_loss` is the mean over all steps).
public struct TrainingSummary: Sendable {
  public var location: SourceLocation
  public var trainLoss: Double?
  public var runtimeSeconds: Double?
  public var epoch: Double?

  public init(location: SourceLocation, trainLoss: Double? = nil, runtimeSeconds: Double? = nil, epoch: Double? = nil) {
    self.location = location
    self.trainLoss = trainLoss
    self.runtimeSeconds = runtimeSeconds
    self.epoch = epoch
  }
}

/// A recoverable problem in the input, reported with its place and never fatal.
public struct ParseNote: Sendable {
  public enum Kind: String, Sendable {
    case cutSegment = "cut-segment"
    case incompleteRecord = "incomplete-record"
    case unreadableValue = "unreadable-value"
    /// Records, banners or settings printed again by other ranks or nodes, counted once.
    case duplicates
  }

  public var location: SourceLocation
  public var kind: Kind
  public var message: String

  public init(location: SourceLocation, kind: Kind, message: String) {
    self.location = location
    self.kind = kind
    self.message = message
  }
}
