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
  private var stepLine: Matcher
  private var timer: Matcher
  private var pipeline: Matcher
  private var learningRates = RepeatedTextCache<[Double]>()
  private var momentum = RepeatedTextCache<[[Double]]>()

  public init() {
    stepLine = try! Pattern(
      #"(?:\[Rank (-?\d+)\] )?step=(\d+), skipped=(\d+), lr=\[([^\]]*)\](?:, mom=\[(.*)\])?"#
    ).makeMatcher()
    timer = try! Pattern(
      #"(?:epoch=(\d+)/micro_step=(\d+)/global_step=(\d+)|(\d+)/(\d+)), (?:RunningAvg)?SamplesPerSec=(-?inf|nan|[-+0-9.eE]+)"#
        + #"(?:, CurrSamplesPerSec=(-?inf|nan|[-+0-9.eE]+))?(?:, MemAllocated=([0-9.]+)GB)?(?:, MaxMemAllocated=([0-9.]+)GB)?"#
    ).makeMatcher()
    pipeline = try! Pattern(#"steps: (\d+) loss: (\S+) iter time"#).makeMatcher()
  }

  public var anchors: [Anchor] { [Anchor("step="), Anchor("SamplesPerSec="), Anchor("iter time (s): ")] }

  /// A candidate starts at the `=` of `step=N, skipped=` or `SamplesPerSec=`, or at the `(` of
  /// `iter time (s): ` (where the search for these lines used to put it).
  public func candidates(from hits: [AnchorHit], in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    for hit in hits {
      switch hit.anchor {
      case 0:
        guard let digits = AnchorCheck.digitsEnd(bytes, from: hit.offset + 5),
          ByteText.hasPrefix(bytes, ", skipped=", at: digits)
        else { continue }
        offsets.append(hit.offset + 4)
      case 1: offsets.append(hit.offset + 13)
      default: offsets.append(hit.offset + 10)
      }
    }
  }

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    let prefixRank = LinePrefix.parse(bytes).rank
    // Each shape is looked for from its literal on: the patterns open with optional or digit
    // groups, which the JIT would otherwise try at every offset of the timestamp and logger prefix.
    if let anchor = Self.stepAnchor(bytes), Self.matches(&stepLine, bytes, from: Self.rankStart(bytes, before: anchor)) {
      var step = TrainingStep(location: segment.location, format: .deepSpeedStep)
      step.step = ByteText.int(bytes, stepLine.range(ofGroup: 2))
      step.skipped = ByteText.int(bytes, stepLine.range(ofGroup: 3))
      step.rank = prefixRank ?? ByteText.int(bytes, stepLine.range(ofGroup: 1)).flatMap { $0 >= 0 ? $0 : nil }
      if let range = stepLine.range(ofGroup: 4) {
        let rates = learningRates.value(for: ByteText.slice(bytes, range)) { NumberList.groups($0).compactMap(\.first) }
        step.learningRates = rates
        step.learningRate = rates.first
      }
      if let range = stepLine.range(ofGroup: 5) {
        step.momentum = momentum.value(for: ByteText.slice(bytes, range), read: NumberList.groups)
      }
      events.append(.trainingStep(step))
    } else if let anchor = ByteText.find("SamplesPerSec=", in: bytes, from: 0),
      Self.matches(&timer, bytes, from: Self.tokenStart(bytes, before: anchor))
    {
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

  /// Whether `matcher` matches from `start` on, or else anywhere in the segment (a shape the
  /// anchors did not foresee is still read).
  private static func matches(_ matcher: inout Matcher, _ bytes: UnsafeRawBufferPointer, from start: Int) -> Bool {
    if (try? matcher.firstMatch(in: bytes, from: start)) != nil { return true }
    return start > 0 && (try? matcher.firstMatch(in: bytes, from: 0)) != nil
  }

  /// The `step=` that `, skipped=` follows.
  private static func stepAnchor(_ bytes: UnsafeRawBufferPointer) -> Int? {
    var from = 0
    while let anchor = ByteText.find("step=", in: bytes, from: from) {
      if ByteText.find(", skipped=", in: bytes, from: anchor, limit: 32) != nil { return anchor }
      from = anchor + 5
    }
    return nil
  }

  /// Where `[Rank N] ` starts when it sits just before `step=`, else `anchor`.
  private static func rankStart(_ bytes: UnsafeRawBufferPointer, before anchor: Int) -> Int {
    guard anchor >= 2, bytes[anchor - 1] == 0x20, bytes[anchor - 2] == UInt8(ascii: "]") else { return anchor }
    var index = anchor - 3
    while index >= 0, anchor - index < 32 {
      if bytes[index] == UInt8(ascii: "[") { return index }
      index -= 1
    }
    return anchor
  }

  /// The start of the `epoch=…/global_step=N, ` or `N/M, ` token before `SamplesPerSec=`: the
  /// offset after the last space before `, ` (or the line's start).
  private static func tokenStart(_ bytes: UnsafeRawBufferPointer, before anchor: Int) -> Int {
    var index = anchor - 1
    // Skip `RunningAvg` and the `, ` that ends the step token.
    while index >= 0, bytes[index] != UInt8(ascii: ",") { index -= 1 }
    index -= 1
    while index >= 0, bytes[index] != 0x20 { index -= 1 }
    return max(0, index + 1)
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
