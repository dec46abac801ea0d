/// Every fp16 loss-scale overflow message DeepSpeed has printed (log-formats.md §2.4), as
/// ``OverflowEvent``s.
///
/// - `[deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 4294967296, reducing to 2147483648`
///   (v0.9+ ints; pre-0.9 ZeRO floats `128.0, reducing to 64.0`; 2021's `[deepscale]` prefix);
/// - `… Attempted loss scale: 65536, but hysteresis is 2. Reducing hysteresis to 1`;
/// - `[deepspeed] OVERFLOW! Rank 0 Skipping step.` alone (bf16/fp32: nothing to scale);
/// - the non-ZeRO fp16 optimizers' `Grad overflow on iteration N` (or `iteration: N`), `Reducing
///   dynamic loss scale from A to B`, `Overflow detected. Skipping step. Attempted loss scale: A,
///   reducing to B` and `[deepspeed] fp16 dynamic loss scale overflow! Skipping step. …`;
/// - the fatal `Current loss scale already at minimum - cannot decrease scale anymore. Exiting run.`
///
/// The fused optimizer reports one overflow in up to three lines (`Grad overflow on iteration 0`,
/// `Reducing dynamic loss scale from 65536 to 32768.0`, `Overflow detected. …`): each line is
/// emitted with a ``SequenceMark/OverflowLine`` mark saying its part, and the ``LogSequencer``
/// merges them (``OverflowMerger``) into one event carrying the iteration and both scales,
/// placed at the first line.
public final class DeepSpeedOverflowFormat: LogFormat {
  public let name = "deepspeed-overflow"
  public var readsFromAnyLine: Bool { true }
  private var scales: Matcher
  private var hysteresis: Matcher
  private var iteration: Matcher
  private var reducing: Matcher
  private var overflowRank: Matcher

  public init() {
    let number = #"(-?[0-9][0-9.eE+-]*|-?inf|nan)"#
    scales = try! Pattern(#"Attempted loss scale: "# + number + #", reducing to "# + number).makeMatcher()
    hysteresis = try! Pattern(#"Attempted loss scale: "# + number + #", but hysteresis is (\d+)"#).makeMatcher()
    iteration = try! Pattern(#"Grad overflow on iteration:? (\d+)"#).makeMatcher()
    reducing = try! Pattern(#"Reducing dynamic loss scale from "# + number + " to " + number).makeMatcher()
    overflowRank = try! Pattern(#"OVERFLOW! Rank (\d+)"#).makeMatcher()
  }

  /// Caseless `overflow` covers `OVERFLOW!`, `Grad overflow on iteration`, `Overflow detected` and
  /// `dynamic loss scale overflow!`.
  public var anchors: [Anchor] {
    [Anchor("overflow", caseless: true), Anchor("Reducing dynamic"), Anchor("already at minimum")]
  }

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    let rank = LinePrefix.parse(bytes).rank
    var event = OverflowEvent(location: segment.location, kind: .skipped, rank: rank)
    let part: SequenceMark.OverflowLine
    if ByteText.find("loss scale already at minimum", in: bytes, from: 0) != nil {
      event.kind = .minimumReached
      part = .complete
    } else if (try? iteration.firstMatch(in: bytes)) != nil {
      event.step = ByteText.int(bytes, iteration.range(ofGroup: 1))
      part = .fusedStart
    } else if (try? reducing.firstMatch(in: bytes)) != nil {
      event.kind = .reduced
      event.attemptedScale = ByteText.double(bytes, reducing.range(ofGroup: 1))
      event.newScale = ByteText.double(bytes, reducing.range(ofGroup: 2))
      part = .fusedReduce
    } else if (try? hysteresis.firstMatch(in: bytes)) != nil {
      event.kind = .hysteresis
      event.attemptedScale = ByteText.double(bytes, hysteresis.range(ofGroup: 1))
      event.rank = rank ?? messageRank(bytes)
      part = .complete
    } else if (try? scales.firstMatch(in: bytes)) != nil {
      event.kind = .reduced
      event.attemptedScale = ByteText.double(bytes, scales.range(ofGroup: 1))
      event.newScale = ByteText.double(bytes, scales.range(ofGroup: 2))
      // `Overflow detected.` closes a fused-optimizer report that began a line or two earlier.
      if ByteText.find("OVERFLOW!", in: bytes, from: 0) != nil {
        event.rank = rank ?? messageRank(bytes)
        part = .complete
      } else {
        part = .fusedClose
      }
    } else if ByteText.find("OVERFLOW!", in: bytes, from: 0) != nil {
      event.rank = rank ?? messageRank(bytes)
      part = .complete
    } else {
      return .done
    }
    events.append(.mark(SequenceMark(location: segment.location, kind: .overflowLine(part))))
    events.append(.overflow(event))
    return .done
  }

  private func messageRank(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard (try? overflowRank.firstMatch(in: bytes)) != nil else { return nil }
    return ByteText.int(bytes, overflowRank.range(ofGroup: 1))
  }
}
