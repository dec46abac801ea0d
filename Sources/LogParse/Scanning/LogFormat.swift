/// A parser for one family of log lines.
///
/// The scanner finds where in a chunk a format's lines may be, then hands it the whole segment
/// around each candidate, in input order. Most formats declare literal ``anchors``: the scanner
/// finds the anchors of all formats in one sweep over the chunk (``AnchorSweep``; a search per
/// format cost one pass each) and the format turns the hits into candidates, checking what a
/// literal cannot say (``candidates(from:in:into:)``). A format no literal describes may search
/// the chunk itself (``findCandidates(in:into:)``; none of the console formats needs to, the test
/// formats do). Either way a chunk is searched, never one call per line
/// (`../shared/reference/performance.md` item 1). A format that reads a block of several lines
/// (a config dump) returns
/// ``Continuation/wantsFollowingSegments`` and then receives every following segment until it
/// returns ``Continuation/done``.
public protocol LogFormat: AnyObject {
  /// A short name for messages (`hf-dict`).
  var name: String { get }

  /// The literals that mark this format's lines; none (the default) when it searches itself.
  ///
  /// Read once, when a scanner is made.
  var anchors: [Anchor] { get }

  /// Appends the offsets where a segment of this format may be, given where its anchors are in
  /// `bytes` (sorted by offset; overlapping occurrences are all there; called for every chunk, even
  /// without hits). The default takes every hit's offset.
  ///
  /// Several candidates in one segment are fine, in any order: the scanner sorts them and passes
  /// each segment once.
  func candidates(from hits: [AnchorHit], in bytes: UnsafeRawBufferPointer, into offsets: inout [Int])

  /// Appends the offsets in `bytes` where a segment of this format may be, for a format whose
  /// lines no anchor marks. The default finds nothing.
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
  public var anchors: [Anchor] { [] }
  public func candidates(from hits: [AnchorHit], in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    for hit in hits { offsets.append(hit.offset) }
  }
  public func findCandidates(in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {}
  public func continueBlock(_ segment: Segment, into events: inout [LogEvent]) -> Continuation { .done }
  public func finish(into events: inout [LogEvent]) {}
  public var readsFromAnyLine: Bool { false }
}
