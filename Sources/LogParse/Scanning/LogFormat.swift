/// A parser for one family of log lines.
///
/// The scanner asks each format where in a chunk its lines may be (`findCandidates`, normally one
/// JIT-compiled PCRE2 search over the whole chunk, which is far cheaper than a call per line:
/// `../shared/reference/performance.md` item 1), then hands it the whole segment around each
/// candidate, in input order. A format that reads a block of several lines (a config dump) returns
/// ``Continuation/wantsFollowingSegments`` and then receives every following segment until it
/// returns ``Continuation/done``.
public protocol LogFormat: AnyObject {
  /// A short name for messages (`hf-dict`).
  var name: String { get }

  /// Appends the offsets in `bytes` where a segment of this format may be.
  ///
  /// Several candidates in one segment are fine, in any order: the scanner sorts them and passes
  /// each segment once.
  func findCandidates(in bytes: UnsafeRawBufferPointer, into offsets: inout [Int])

  /// Reads one segment that holds a candidate.
  func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation

  /// Reads a segment that follows one for which this format asked for more.
  func continueBlock(_ segment: Segment, into events: inout [LogEvent]) -> Continuation

  /// The input ended; emit whatever a pending block holds.
  func finish(into events: inout [LogEvent])

  /// Whether a fresh instance can start reading at any line: its events for a run of whole lines
  /// depend only on those lines and, for a block opened among them, on the lines that close it.
  ///
  /// ``ParallelScan`` reads a large file as ranges cut after a `\n`, one fresh set of formats per
  /// range, only when every format says `true`. A block left open at a range's end is read on
  /// past it, and the next range then starts where the block closed. What depends on earlier
  /// records (run boundaries, copies from other ranks, reports spread over lines, settings stated
  /// once) belongs in the ``LogSequencer``, which sees the merged events in order; a format emits
  /// ``SequenceMark``s for it. An instance that holds no open block must read on as a fresh one
  /// would (a worker reuses its formats from range to range). A format that keeps such state
  /// itself must keep the default, `false`: the input is then read on one core.
  var readsFromAnyLine: Bool { get }
}

/// Whether a format wants the segments after the one it just read.
public enum Continuation: Sendable {
  case done
  case wantsFollowingSegments
}

extension LogFormat {
  public func continueBlock(_ segment: Segment, into events: inout [LogEvent]) -> Continuation { .done }
  public func finish(into events: inout [LogEvent]) {}
  public var readsFromAnyLine: Bool { false }
}
