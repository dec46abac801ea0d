/// Megatron-LM / Megatron-DeepSpeed's ` iteration N/M | key: value | …` line, every generation
/// (log-formats.md §3): old v1, Megatron-DeepSpeed with tokens/seqlen/TFLOPs, core ≥ 0.6 with a
/// `[YYYY-MM-DD HH:MM:SS]` timestamp (microseconds at HEAD), `.3E` and `.6E` learning rates.
///
/// Fields are read by name, so optional ones may come and go. Loss keys are an open set (`lm loss`,
/// `mtp_1 loss`, `seq_load_balancing_loss`…): every field between `global batch size` and the
/// scaler fields that is not a known field is a loss. `lm loss` is the step's loss (else the first
/// loss key). Megatron omits a loss whose average is NaN or ≤ 0, so a line without any loss sets
/// ``TrainingStep/lossOmitted``, and its loss is NaN when the same line prints `grad norm: nan`.
public final class MegatronIterationFormat: LogFormat {
  public let name = "megatron-iteration"
  public var readsFromAnyLine: Bool { true }
  private var candidates: Matcher
  private var iteration: Matcher

  public init() {
    candidates = try! Pattern(#"iteration +\d+/ *\d+ \|"#).makeMatcher()
    iteration = try! Pattern(#"iteration +(\d+)/ *(\d+) \|"#).makeMatcher()
  }

  public func findCandidates(in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    candidates.appendMatchStarts(in: bytes, into: &offsets)
  }

  /// Fields that are never losses.
  static let knownFields: Set<String> = [
    "consumed samples", "consumed tokens", "skipped samples", "elapsed time per iteration (ms)",
    "throughput per GPU (TFLOP/s/GPU)", "energy per GPU (J/iter/GPU)", "power per GPU (W/GPU)", "learning rate",
    "decoupled learning rate", "global batch size", "loss scale", "grad norm", "num zeros", "params norm",
    "curriculum seqlen", "random ltd reserved length", "actual seqlen", "number of skipped iterations",
    "number of nan iterations", "samples per second", "tokens per gpu per second (tgs)", "TFLOPs",
  ]

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    guard let head = try? iteration.firstMatch(in: bytes) else { return .done }
    var step = TrainingStep(location: segment.location, format: .megatronIteration)
    step.step = ByteText.int(bytes, iteration.range(ofGroup: 1))
    step.totalSteps = ByteText.int(bytes, iteration.range(ofGroup: 2))
    step.rank = LinePrefix.parse(bytes).rank
    var losses: [NamedValue] = []
    var gradNormIsNaN = false
    var fieldStart = head.upperBound
    while fieldStart < bytes.count {
      let bar = ByteText.firstIndex(of: UInt8(ascii: "|"), in: bytes, from: fieldStart) ?? bytes.count
      let field = ByteText.trimmed(bytes, fieldStart..<bar)
      fieldStart = bar + 1
      guard let colon = Self.lastColon(bytes, field) else { continue }
      let name = ByteText.string(bytes, field.lowerBound..<colon)
      let valueRange = ByteText.trimmed(bytes, (colon + 1)..<field.upperBound)
      let value = ByteText.slice(bytes, valueRange)
      switch name {
      case "consumed samples": step.consumedSamples = ByteText.digits(value)
      case "learning rate": step.learningRate = NumberParser.parseDouble(value)
      case "global batch size": step.globalBatchSize = ByteText.digits(value)
      case "loss scale": step.lossScale = NumberParser.parseDouble(value)
      case "grad norm":
        step.gradNorm = NumberParser.parseDouble(value)
        gradNormIsNaN = step.gradNorm.map { !$0.isFinite } ?? false
      case "number of skipped iterations": step.skipped = ByteText.digits(value)
      case "number of nan iterations": step.nanIterations = ByteText.digits(value)
      default:
        if !Self.knownFields.contains(name), let number = NumberParser.parseDouble(value) {
          losses.append(NamedValue(name: name, value: number))
        }
      }
    }
    if losses.isEmpty {
      step.lossOmitted = true
      if gradNormIsNaN { step.loss = .nan }
    } else {
      step.losses = losses
      step.loss = (losses.first { $0.name == "lm loss" } ?? losses[0]).value
    }
    events.append(.trainingStep(step))
    return .done
  }

  /// The separator is the last `:` (names hold none, but `(TFLOP/s/GPU)` holds a `/`).
  private static func lastColon(_ bytes: UnsafeRawBufferPointer, _ field: Range<Int>) -> Int? {
    var index = field.upperBound - 1
    while index >= field.lowerBound {
      if bytes[index] == UInt8(ascii: ":") { return index }
      index -= 1
    }
    return nil
  }
}
