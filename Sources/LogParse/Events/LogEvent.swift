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
public struct TrainingStep: Sendable {
  public var location: SourceLocation
  public var format: RecordFormat
  /// The step number when the line carries one (HF dicts do not).
  public var step: Int?
  public var epoch: Double?
  public var loss: Double?
  public var gradNorm: Double?
  public var learningRate: Double?
  /// fp16 loss scale (Megatron `loss scale:`), when printed.
  public var lossScale: Double?
  /// Skipped steps: DeepSpeed's cumulative `skipped=`, or Megatron's per-window count.
  public var skipped: Int?
  /// Megatron's `number of nan iterations` in the logging window.
  public var nanIterations: Int?
  /// The global batch size printed with the step (Megatron, changes during ramp-up).
  public var globalBatchSize: Int?
  /// The rank or node that printed the line, when a prefix says so.
  public var rank: Int?
  /// DeepSpeed's `lr=[…]`: one learning rate per parameter group (`learningRate` is the first).
  public var learningRates: [Double]?
  /// DeepSpeed's `mom=[…]`: per parameter group, the betas tuple or list, or the single momentum.
  public var momentum: [[Double]]?
  /// Megatron's loss keys in printed order (`lm loss`, `mtp_1 loss`, …); `loss` is `lm loss`.
  public var losses: [NamedValue]?
  /// The log printed no loss at all where the format omits a NaN or non-positive one (Megatron
  /// drops `lm loss` when its average is NaN or ≤ 0; log-formats.md §3). `loss` is then `.nan`
  /// when the same line printed `grad norm: nan`/`inf`, else `nil`.
  public var lossOmitted: Bool = false
  /// The run's total steps when the line says (Megatron's `iteration N/M`).
  public var totalSteps: Int?
  /// Megatron's cumulative `consumed samples`.
  public var consumedSamples: Int?

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
