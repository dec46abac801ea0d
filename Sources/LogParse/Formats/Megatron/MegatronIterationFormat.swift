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
  private var iteration: Matcher
  private var names = MegatronFieldNames()

  public init() {
    iteration = try! Pattern(#"iteration +(\d+)/ *(\d+) \|"#).makeMatcher()
  }

  public var anchors: [Anchor] { [Anchor("iteration ")] }

  /// `iteration +\d+/ *\d+ \|`, checked byte by byte after the anchor.
  public func candidates(from hits: [AnchorHit], in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    for hit in hits {
      guard let done = AnchorCheck.digitsEnd(bytes, from: AnchorCheck.spacesEnd(bytes, from: hit.offset + 10)),
        done < bytes.count, bytes[done] == UInt8(ascii: "/"),
        let total = AnchorCheck.digitsEnd(bytes, from: AnchorCheck.spacesEnd(bytes, from: done + 1)),
        ByteText.hasPrefix(bytes, " |", at: total)
      else { continue }
      offsets.append(hit.offset)
    }
  }

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    guard let head = try? iteration.firstMatch(in: bytes) else { return .done }
    var step = TrainingStep(location: segment.location, format: .megatronIteration)
    step.step = ByteText.int(bytes, iteration.range(ofGroup: 1))
    step.totalSteps = ByteText.int(bytes, iteration.range(ofGroup: 2))
    step.rank = LinePrefix.parse(bytes).rank
    var losses: [NamedValue] = []
    var gradNormIsNaN = false
    // A local copy: mutating a class's stored property costs a dynamic exclusivity check a field.
    var names = MegatronFieldNames()
    swap(&names, &self.names)
    defer { swap(&names, &self.names) }
    var fieldStart = head.upperBound
    var position = 0
    while fieldStart < bytes.count {
      let bar = ByteText.firstIndex(of: UInt8(ascii: "|"), in: bytes, from: fieldStart) ?? bytes.count
      let field = ByteText.trimmed(bytes, fieldStart..<bar)
      fieldStart = bar + 1
      guard let colon = Self.lastColon(bytes, field) else { continue }
      let (kind, name) = names.lookup(ByteText.slice(bytes, field.lowerBound..<colon), position: position)
      position += 1
      let value = ByteText.slice(bytes, ByteText.trimmed(bytes, (colon + 1)..<field.upperBound))
      switch kind {
      case .consumedSamples: step.consumedSamples = ByteText.digits(value)
      case .learningRate: step.learningRate = NumberParser.parseDouble(value)
      case .globalBatchSize: step.globalBatchSize = ByteText.digits(value)
      case .lossScale: step.lossScale = NumberParser.parseDouble(value)
      case .gradNorm:
        step.gradNorm = NumberParser.parseDouble(value)
        gradNormIsNaN = step.gradNorm.map { !$0.isFinite } ?? false
      case .skipped: step.skipped = ByteText.digits(value)
      case .nanIterations: step.nanIterations = ByteText.digits(value)
      case .ignored: break
      case .loss:
        if let number = NumberParser.parseDouble(value) { losses.append(NamedValue(name: name, value: number)) }
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
