/// DeepSpeed's progress lines: the periodic step line, the throughput timer and the pipeline
/// engine's loss line (log-formats.md §2.2, §2.3).
///
/// - `[Rank 0] step=10, skipped=4, lr=[4.99e-05, 4.99e-05], mom=[(0.9, 0.95), (0.9, 0.95)]` becomes a
///   ``TrainingStep`` with the cumulative `skipped`, every param group's lr and momentum (tuples,
///   lists or plain floats). It carries no loss.
/// - `epoch=0/micro_step=40/global_step=10, RunningAvgSamplesPerSec=…` (and the v0.7 and ≤ v0.5
///   forms) becomes a ``ThroughputSample``.
/// - `steps: 100 loss: 2.3456 iter time (s): …` (pipeline engine) becomes a ``TrainingStep``.
///
/// Lines are found by their message, never by the logger's `file:line:func`, which changes between
/// versions.
public final class DeepSpeedProgressFormat: LogFormat {
  public let name = "deepspeed-progress"
  public var readsFromAnyLine: Bool { true }
  private var candidates: Matcher
  private var stepLine: Matcher
  private var timer: Matcher
  private var pipeline: Matcher

  public init() {
    // Each alternative starts at a rare byte ('=', '!', '{', '(' or a capital), the lookbehinds
    // holding the rest: PCRE2 JIT's start-of-match search then skips most of a chunk (performance.md
    // item 5). Seven formats cost one such sweep each.
    candidates = try! Pattern(#"(?<=step)=\d+, skipped=|(?<=SamplesPerSec)=|(?<=iter time )\(s\): "#).makeMatcher()
    stepLine = try! Pattern(
      #"(?:\[Rank (-?\d+)\] )?step=(\d+), skipped=(\d+), lr=\[([^\]]*)\](?:, mom=\[(.*)\])?"#
    ).makeMatcher()
    timer = try! Pattern(
      #"(?:epoch=(\d+)/micro_step=(\d+)/global_step=(\d+)|(\d+)/(\d+)), (?:RunningAvg)?SamplesPerSec=(-?inf|nan|[-+0-9.eE]+)"#
        + #"(?:, CurrSamplesPerSec=(-?inf|nan|[-+0-9.eE]+))?(?:, MemAllocated=([0-9.]+)GB)?(?:, MaxMemAllocated=([0-9.]+)GB)?"#
    ).makeMatcher()
    pipeline = try! Pattern(#"steps: (\d+) loss: (\S+) iter time"#).makeMatcher()
  }

  public func findCandidates(in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    candidates.appendMatchStarts(in: bytes, into: &offsets)
  }

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    let prefixRank = LinePrefix.parse(bytes).rank
    if (try? stepLine.firstMatch(in: bytes)) != nil {
      var step = TrainingStep(location: segment.location, format: .deepSpeedStep)
      step.step = ByteText.int(bytes, stepLine.range(ofGroup: 2))
      step.skipped = ByteText.int(bytes, stepLine.range(ofGroup: 3))
      step.rank = prefixRank ?? ByteText.int(bytes, stepLine.range(ofGroup: 1)).flatMap { $0 >= 0 ? $0 : nil }
      if let range = stepLine.range(ofGroup: 4) {
        let rates = NumberList.groups(ByteText.slice(bytes, range)).compactMap(\.first)
        step.learningRates = rates
        step.learningRate = rates.first
      }
      if let range = stepLine.range(ofGroup: 5) {
        step.momentum = NumberList.groups(ByteText.slice(bytes, range))
      }
      events.append(.trainingStep(step))
    } else if (try? timer.firstMatch(in: bytes)) != nil {
      var sample = ThroughputSample(location: segment.location)
      if timer.range(ofGroup: 1) != nil {
        sample.epoch = ByteText.int(bytes, timer.range(ofGroup: 1))
        sample.microStep = ByteText.int(bytes, timer.range(ofGroup: 2))
        sample.globalStep = ByteText.int(bytes, timer.range(ofGroup: 3))
      } else {
        sample.epoch = ByteText.int(bytes, timer.range(ofGroup: 4))
        sample.microStep = ByteText.int(bytes, timer.range(ofGroup: 5))
      }
      sample.samplesPerSecond = ByteText.double(bytes, timer.range(ofGroup: 6))
      sample.currentSamplesPerSecond = ByteText.double(bytes, timer.range(ofGroup: 7))
      sample.memoryAllocatedGB = ByteText.double(bytes, timer.range(ofGroup: 8))
      sample.maxMemoryAllocatedGB = ByteText.double(bytes, timer.range(ofGroup: 9))
      sample.rank = prefixRank
      events.append(.throughput(sample))
    } else if (try? pipeline.firstMatch(in: bytes)) != nil {
      var step = TrainingStep(location: segment.location, format: .deepSpeedPipeline)
      step.step = ByteText.int(bytes, pipeline.range(ofGroup: 1))
      step.loss = ByteText.double(bytes, pipeline.range(ofGroup: 2))
      step.rank = prefixRank
      events.append(.trainingStep(step))
    }
    return .done
  }
}

/// Reads Python list reprs of numbers and of number groups: `3e-05, 3e-05`, `(0.9, 0.95), (0.9, 0.95)`,
/// `[0.9, 0.95]`, `0.9, 0.9`.
enum NumberList {
  /// The groups in `bytes` (the text between the outer brackets); a bare number is a group of one.
  static func groups(_ bytes: UnsafeRawBufferPointer) -> [[Double]] {
    var groups: [[Double]] = []
    var current: [Double] = []
    var depth = 0
    var tokenStart: Int?
    func endToken(_ end: Int) {
      guard let start = tokenStart else { return }
      let range = ByteText.trimmed(bytes, start..<end)
      if !range.isEmpty, let value = NumberParser.parseDouble(ByteText.slice(bytes, range)) { current.append(value) }
      tokenStart = nil
    }
    for index in 0..<bytes.count {
      switch bytes[index] {
      case UInt8(ascii: "("), UInt8(ascii: "["):
        depth += 1
        current = []
      case UInt8(ascii: ")"), UInt8(ascii: "]"):
        endToken(index)
        depth -= 1
        if depth == 0 { groups.append(current) }
        current = []
      case UInt8(ascii: ","):
        endToken(index)
        if depth == 0, !current.isEmpty {
          groups.append(current)
          current = []
        }
      case 0x20:
        continue
      default:
        if tokenStart == nil { tokenStart = index }
      }
    }
    endToken(bytes.count)
    if depth == 0, !current.isEmpty { groups.append(current) }
    return groups
  }
}
