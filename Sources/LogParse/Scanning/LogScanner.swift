/// Runs a set of ``LogFormat``s over an input, chunk by chunk, and delivers their events in input
/// order.
///
/// The scanner never makes a `String` per line: one sweep finds every format's anchors in a whole
/// chunk, and only the segments around the formats' candidates are looked at. What the formats
/// emit goes through a ``LogSequencer`` on its way out (``drain(_:)``), which applies the state
/// that crosses records.
public final class LogScanner {
  public let formats: [any LogFormat]
  /// `nil` for a range of a file read on its own: ``ParallelScan`` sequences the merged ranges.
  private let sequencer: LogSequencer?
  private var candidates: [Int] = []
  /// One sweep for the anchors of all formats; anchor ids index `anchorOwners`.
  private let sweep: AnchorSweep
  private let anchorOwners: [(format: Int, anchor: Int)]
  private var hits: [UInt64] = []
  /// Beside `hits`: the `\n` bytes before each, counted by the sweep.
  private var hitNewlines: [Int] = []
  /// The `\n` bytes of the chunk last swept.
  private var sweptNewlines = 0
  private var formatHits: [[AnchorHit]]
  /// Candidate keys: offset << 8 | format index, sorted to merge the formats' lists.
  private var keyed: [UInt64] = []
  private var events: [LogEvent] = []
  /// The format reading a multi-line block, if any.
  private var capturing: Int?
  /// Set by ``scanText(_:)``: a chunk holding a NUL byte is not scanned.
  private var refusingNUL = false
  /// The first NUL byte of the chunk ``scanText(_:)`` refused.
  private var refusedNUL: Int?

  public convenience init(formats: [any LogFormat]) {
    self.init(formats: formats, sequencer: LogSequencer())
  }

  /// A scanner whose events are the formats' own, marks included, for a stretch of input that
  /// the caller sequences with the stretches around it.
  convenience init(unsequencedFormats formats: [any LogFormat]) {
    self.init(formats: formats, sequencer: nil)
  }

  private init(formats: [any LogFormat], sequencer: LogSequencer?) {
    precondition(formats.count < 256)
    self.formats = formats
    self.sequencer = sequencer
    var owners: [(format: Int, anchor: Int)] = []
    var anchors: [Anchor] = []
    for (index, format) in formats.enumerated() {
      for (anchor, literal) in format.anchors.enumerated() {
        owners.append((index, anchor))
        anchors.append(literal)
      }
    }
    anchorOwners = owners
    sweep = AnchorSweep(anchors: anchors)
    formatHits = Array(repeating: [], count: formats.count)
  }

  /// Readies the scanner for a stretch of input read on its own, telling the formats whether
  /// the input before it left an HF training block open (the banner format then searches for the
  /// block's label lines from the start). A scanner that read an earlier stretch to its end holds
  /// no open block.
  func startStretch(insideTrainingBlock: Bool) {
    precondition(capturing == nil)
    for case let banner as HuggingFaceBannerFormat in formats { banner.setInsideTrainingBlock(insideTrainingBlock) }
  }

  /// Moves the formats' events collected so far (not sequenced) into `target` (without copying them one by one when
  /// `target` is empty) and forgets them.
  func moveEvents(into target: inout [LogEvent]) {
    if target.isEmpty {
      swap(&target, &events)
    } else {
      target.append(contentsOf: events)
      events.removeAll(keepingCapacity: true)
    }
  }

  /// Gives the scanner an empty array whose capacity it can fill (a recycled one).
  func adoptEventStorage(_ storage: [LogEvent]) {
    if events.isEmpty, storage.capacity > events.capacity { events = storage }
  }

  /// Hands the events collected so far to `consume`, through the sequencer, and forgets them.
  ///
  /// The events are moved out of the array, not copied (see ``LogSequencer/add(movingFrom:_:)``).
  func drain(_ consume: (LogEvent) -> Void) {
    var batch: [LogEvent] = []
    swap(&batch, &events)
    batch.withUnsafeMutableBufferPointer { lent in
      if let sequencer {
        sequencer.add(movingFrom: lent, consume)
      } else {
        LogSequencer.forEach(movingFrom: lent, consume)
      }
    }
    batch.removeAll(keepingCapacity: true)
    // Events a consumer's call added meanwhile (none do today) stay in front of the next ones.
    batch.append(contentsOf: events)
    swap(&batch, &events)
  }

  /// Ends the input: formats emit what a pending block holds, and the sequencer what it holds.
  func finishAndDrain(_ consume: (LogEvent) -> Void) {
    finish()
    drain(consume)
    sequencer?.finish(consume)
  }

  /// The number of `\n` in the last chunk scanned to its end (the scanner counts them anyway to
  /// number its events; the reader need not count them again).
  private(set) var newlinesInLastChunk: Int?

  /// Whether a format is reading a multi-line block that has not ended yet.
  var isInsideBlock: Bool { capturing != nil }

  /// Scans one chunk; events collect in `events`.
  ///
  /// With `stoppingWhenBlockCloses`, the scanner only walks the open block (see ``ParallelScan``:
  /// a range that ends inside a block reads on until it closes) and returns the chunk offset just
  /// after the segment that closed it, or `nil` when the block is still open at the chunk's end.
  @discardableResult
  func scan(_ chunk: Chunk, stoppingWhenBlockCloses: Bool = false) -> Int? {
    let bytes = chunk.bytes
    newlinesInLastChunk = nil
    // A local array for the chunk: passing the property `inout` to each format's `parse` costs a
    // dynamic exclusivity check per call.
    var events: [LogEvent] = []
    swap(&events, &self.events)
    defer { swap(&events, &self.events) }
    keyed.removeAll(keepingCapacity: true)
    refusedNUL = nil
    findCandidates(in: bytes) { index, offsets in
      for offset in offsets { keyed.append(UInt64(offset) << 8 | UInt64(index)) }
    }
    if refusedNUL != nil { return nil }
    keyed.sort()

    var cursor = LineCursor(firstLine: chunk.firstLine)
    // Per format, the end of the last segment it was given, so a segment is passed once.
    var doneUntil = [Int](repeating: -1, count: formats.count)
    var position = 0  // everything before this offset has been handled
    var next = 0  // index into `keyed`

    // The format of the latest candidate, held in a local: a call on an element of `formats`
    // retained and released the format around it (two atomic operations per record); a local
    // reference is retained only when the candidates' format changes.
    guard var format = formats.first else {
      endChunk(chunk, &cursor, &events)
      return nil
    }
    var formatIndex = 0
    // The first hit past the last candidate: the sweep counted the newlines before each hit, so
    // the line cursor jumps to the hit at or before a candidate instead of counting its way.
    var nextHit = 0

    while true {
      if let owner = capturing {
        // Walk segment by segment while a block is open, still dispatching candidates in order.
        guard position < bytes.count else { break }
        let end = ByteScan.segmentEnd(bytes, from: position)
        if end > position {
          let segment = makeSegment(chunk, position..<end, &cursor)
          if formats[owner].continueBlock(segment, into: &events) == .done { capturing = nil }
          while next < keyed.count, Int(keyed[next] >> 8) < end + 1 {
            let index = Int(keyed[next] & 0xFF)
            next += 1
            if index != owner, doneUntil[index] < end {
              doneUntil[index] = end
              if formats[index].parse(segment, into: &events) == .wantsFollowingSegments, capturing == nil {
                capturing = index
              }
            }
          }
        }
        position = end + 1
        // The closing segment may be the chunk's last, with no terminator after it.
        if stoppingWhenBlockCloses, capturing == nil { return min(position, bytes.count) }
        continue
      }
      if stoppingWhenBlockCloses { return position }
      guard next < keyed.count else { break }
      let offset = Int(keyed[next] >> 8)
      let index = Int(keyed[next] & 0xFF)
      next += 1
      if offset < position || offset <= doneUntil[index] { continue }
      let start = ByteScan.segmentStart(bytes, before: offset)
      let end = ByteScan.segmentEnd(bytes, from: offset)
      doneUntil[index] = end
      while nextHit < hits.count, Int(hits[nextHit] >> 16) <= offset { nextHit += 1 }
      if nextHit > 0 {
        // A hit between `start` and the candidate has the segment start's count: a segment
        // holds no newline.
        let hitOffset = Int(hits[nextHit - 1] >> 16)
        cursor.jump(to: min(hitOffset, start), line: chunk.firstLine + hitNewlines[nextHit - 1])
      }
      let segment = makeSegment(chunk, start..<end, &cursor)
      if index != formatIndex {
        format = formats[index]
        formatIndex = index
      }
      if format.parse(segment, into: &events) == .wantsFollowingSegments {
        capturing = index
        position = end + 1
      }
    }
    endChunk(chunk, &cursor, &events)
    return nil
  }

  /// After the last candidate of a chunk scanned to its end: the note for a cut last segment,
  /// and the chunk's newlines for the reader.
  private func endChunk(_ chunk: Chunk, _ cursor: inout LineCursor, _ events: inout [LogEvent]) {
    if chunk.endsWithCutSegment {
      let start = ByteScan.segmentStart(chunk.bytes, before: chunk.bytes.count)
      let line = cursor.line(at: start, in: chunk.bytes)
      events.append(
        .note(
          ParseNote(
            location: SourceLocation(line: line, offset: chunk.startOffset + Int64(start)), kind: .cutSegment,
            message: "line longer than the \(chunk.bytes.count - start)-byte cap; the rest of it was skipped")))
    }
    newlinesInLastChunk = sweptNewlines
  }

  /// Scans `chunk` as ``scan(_:stoppingWhenBlockCloses:)`` does unless it holds a NUL byte
  /// (binary data, where a refused input stops); then it scans nothing and returns the offset of
  /// the first NUL. The check rides on the anchor sweep, which loads every byte anyway.
  func scanText(_ chunk: Chunk) -> Int? {
    refusingNUL = true
    defer { refusingNUL = false }
    scan(chunk)
    return refusedNUL
  }

  /// Hands each format's candidate offsets in `bytes` to `body`, format by format: the anchors of
  /// all formats from one sweep, then each format's own search.
  func findCandidates(in bytes: UnsafeRawBufferPointer, _ body: (_ format: Int, _ offsets: [Int]) -> Void) {
    hits.removeAll(keepingCapacity: true)
    hitNewlines.removeAll(keepingCapacity: true)
    let extras = sweep.find(in: bytes, into: &hits, newlines: &hitNewlines)
    sweptNewlines = extras.newlines
    if refusingNUL, let nul = extras.firstNUL {
      refusedNUL = nul
      return
    }
    for index in formatHits.indices { formatHits[index].removeAll(keepingCapacity: true) }
    for key in hits {
      let owner = anchorOwners[Int(key & 0xFFFF)]
      formatHits[owner.format].append(AnchorHit(anchor: owner.anchor, offset: Int(key >> 16)))
    }
    for (index, format) in formats.enumerated() {
      candidates.removeAll(keepingCapacity: true)
      // Also without hits: a format may search more where its state says so (the HF banner's labels).
      format.candidates(from: formatHits[index], in: bytes, into: &candidates)
      format.findCandidates(in: bytes, into: &candidates)
      body(index, candidates)
    }
  }

  func finish() {
    for format in formats { format.finish(into: &events) }
    capturing = nil
  }

  private func makeSegment(_ chunk: Chunk, _ range: Range<Int>, _ cursor: inout LineCursor) -> Segment {
    let line = cursor.line(at: range.lowerBound, in: chunk.bytes)
    return Segment(
      bytes: UnsafeRawBufferPointer(rebasing: chunk.bytes[range]), line: line,
      offset: chunk.startOffset + Int64(range.lowerBound),
      isCut: chunk.endsWithCutSegment && range.upperBound == chunk.bytes.count)
  }
}
