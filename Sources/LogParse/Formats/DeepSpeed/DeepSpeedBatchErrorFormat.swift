/// Batch-size errors stated with their numbers: DeepSpeed's assertion and HF's list of DeepSpeed
/// config values that disagree with the `TrainingArguments` (log-formats.md §2.6, §2.8).
///
/// - `Check batch related parameters. train_batch_size is not equal to micro_batch_per_gpu *
///   gradient_acc_step * world_size 8 != 2 * 1 * 1` (before DeepSpeed PR #1734 without the space:
///   `world_size2 != …`), possibly wrapped over several lines by `rich`, each with a `[rank0]: `
///   prefix. It becomes a ``ConfigurationError`` and four settings (source ``SettingSource/errorMessage``).
/// - `Please correct the following DeepSpeed config values that mismatch TrainingArguments values:`
///   followed by `- ds train_batch_size=16 vs hf train_batch_size (calculated)=32` lines: one
///   ``ConfigurationError`` per line.
public final class DeepSpeedBatchErrorFormat: LogFormat {
  public let name = "deepspeed-batch-error"
  public var readsFromAnyLine: Bool { true }
  private var numbers: Matcher
  private var mismatch: Matcher

  private enum State { case idle, assertion, mismatchList }
  private var state = State.idle
  /// The assertion's text so far, its lines joined by single spaces.
  private var joined: [UInt8] = []
  private var start = SourceLocation(line: 0, offset: 0)
  private var rank: Int?
  private var linesRead = 0
  /// rich wraps the message at the terminal width: three lines at 80 columns, more when narrower.
  static let maxAssertionLines = 6

  public init() {
    numbers = try! Pattern(
      #"train_batch_size is not equal to micro_batch_per_gpu \* gradient_acc_step \* world_size ?(\d+) != (\d+) \* (\d+) \* (\d+)"#
    ).makeMatcher()
    mismatch = try! Pattern(#"^- ds (\S+)=(.*) vs hf (.+?)=(.*)$"#).makeMatcher()
  }

  public var anchors: [Anchor] {
    [Anchor("Check batch related parameters"), Anchor("Please correct the following DeepSpeed config values")]
  }

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    let prefix = LinePrefix.parse(bytes)
    start = segment.location
    rank = prefix.rank
    linesRead = 0
    if ByteText.find("Please correct the following DeepSpeed", in: bytes, from: 0) != nil {
      state = .mismatchList
      return .wantsFollowingSegments
    }
    guard let at = ByteText.find("Check batch related parameters", in: bytes, from: prefix.contentStart) else {
      return .done
    }
    joined = Array(ByteText.slice(bytes, at..<bytes.count))
    state = .assertion
    return tryAssertion(into: &events) ? .done : .wantsFollowingSegments
  }

  public func continueBlock(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    let content = ByteText.slice(bytes, LinePrefix.parse(bytes).contentStart..<bytes.count)
    linesRead += 1
    switch state {
    case .idle:
      return .done
    case .assertion:
      guard linesRead < Self.maxAssertionLines else {
        state = .idle
        return .done
      }
      let trimmed = ByteText.trimmed(content, 0..<content.count)
      // rich shows the failing source line in a box before the message itself: start over there.
      if let again = ByteText.find("Check batch related parameters", in: content, from: 0) {
        joined = Array(ByteText.slice(content, again..<content.count))
        linesRead = 0
        return tryAssertion(into: &events) ? .done : .wantsFollowingSegments
      }
      if !joined.isEmpty, joined.last != 0x20 { joined.append(0x20) }
      joined.append(contentsOf: ByteText.slice(content, trimmed))
      return tryAssertion(into: &events) ? .done : .wantsFollowingSegments
    case .mismatchList:
      let trimmed = ByteText.slice(content, ByteText.trimmed(content, 0..<content.count))
      guard (try? mismatch.firstMatch(in: trimmed)) != nil else {
        // The list ends at the first line that is not an item; a blank line right after the
        // header is tolerated.
        if trimmed.isEmpty && linesRead == 1 { return .wantsFollowingSegments }
        state = .idle
        return .done
      }
      let part = { (group: Int) in ByteText.string(trimmed, self.mismatch.range(ofGroup: group) ?? 0..<0) }
      events.append(
        .configurationError(
          ConfigurationError(
            location: segment.location,
            kind: .deepSpeedMismatch(
              deepSpeedKey: part(1), deepSpeedValue: part(2), huggingFaceKey: part(3), huggingFaceValue: part(4)),
            rank: rank, text: ByteText.string(trimmed))))
      return .wantsFollowingSegments
    }
  }

  public func finish(into events: inout [LogEvent]) {
    state = .idle
  }

  /// Emits the assertion when the joined text holds its four numbers.
  private func tryAssertion(into events: inout [LogEvent]) -> Bool {
    let found = joined.withUnsafeBytes { bytes -> [Int]? in
      guard (try? numbers.firstMatch(in: bytes)) != nil else { return nil }
      let values = (1...4).compactMap { ByteText.int(bytes, numbers.range(ofGroup: $0)) }
      return values.count == 4 ? values : nil
    }
    guard let found else { return false }
    state = .idle
    let text = String(decoding: joined, as: UTF8.self)
    events.append(
      .configurationError(
        ConfigurationError(
          location: start,
          kind: .batchAssertion(
            trainBatchSize: found[0], microBatchPerGPU: found[1], gradientAccumulationSteps: found[2],
            worldSize: found[3]),
          rank: rank, text: text)))
    let names = ["train_batch_size", "train_micro_batch_size_per_gpu", "gradient_accumulation_steps", "world_size"]
    for (name, value) in zip(names, found) {
      events.append(
        .setting(SettingEvent(location: start, name: name, value: .int(value), source: .errorMessage, text: text)))
    }
    return true
  }
}
