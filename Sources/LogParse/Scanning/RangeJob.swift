internal import Dispatch
internal import Synchronization

/// What one range produced: its events (lines counted from 1 at its start), how far it read
/// (past its end when a block was open there) and how many `\n` it read.
struct RangeResult: Sendable {
  var start: Int64
  var end: Int64
  var events: [LogEvent] = []
  var newlines = 0
  var statistics = ChunkReader.Statistics()
  var error: InputError?
  /// Where a NUL byte stopped the range (line counted from 1 at the range's start), when binary
  /// data is refused: the events before it were read and the formats finished, as the sequential
  /// scan does.
  var binary: (line: Int, offset: Int64, startsFile: Bool)?
}

/// The shared state of one parallel read: the ranges, a slot per result, and the semaphores that
/// order them.
///
/// SAFETY (`@unchecked Sendable`): `slots[i]` is written by exactly one worker (the one that took
/// index `i` from the atomic `nextIndex`) before it signals `ready[i]`, and read by the delivering
/// thread only after waiting on `ready[i]`; the semaphore orders the two accesses. Everything
/// else is immutable, a synchronisation primitive, or guarded by one (`spareEventArrays`).
final class RangeJob: @unchecked Sendable {
  let path: String
  let size: Int64
  let ranges: [Range<Int64>]
  let formats: @Sendable () -> [any LogFormat]
  let allowBinary: Bool
  let readSize: Int
  let maxSegmentLength: Int
  private let slots: UnsafeMutablePointer<RangeResult?>
  private let ready: [DispatchSemaphore]
  /// Bounds how far workers run ahead of delivery (and so the memory held in results).
  private let window: DispatchSemaphore
  /// The next range to take (an atomic counter: each index goes to exactly one worker).
  private let nextIndex = Atomic(0)
  private let cancelled = Atomic(false)

  init(
    path: String, size: Int64, ranges: [Range<Int64>], formats: @escaping @Sendable () -> [any LogFormat],
    allowBinary: Bool, readSize: Int, maxSegmentLength: Int, lookahead: Int
  ) {
    self.path = path
    self.size = size
    self.ranges = ranges
    self.formats = formats
    self.allowBinary = allowBinary
    self.readSize = readSize
    self.maxSegmentLength = maxSegmentLength
    slots = .allocate(capacity: ranges.count)
    slots.initialize(repeating: nil, count: ranges.count)
    ready = ranges.map { _ in DispatchSemaphore(value: 0) }
    // Created at 0 and raised: libdispatch traps when a semaphore is freed below its initial
    // value, which an early error (ranges parsed but never taken) would leave it.
    window = DispatchSemaphore(value: 0)
    for _ in 0..<lookahead { window.signal() }
  }

  deinit {
    slots.deinitialize(count: ranges.count)
    slots.deallocate()
  }

  /// A worker's loop: take the next range, parse it, publish it. One reader and one scanner
  /// serve all the ranges a worker takes, so its buffer is allocated and its formats' patterns
  /// compiled once (a set of console formats costs about 4 M instructions to make).
  func work() {
    var reader: ChunkReader?
    var scanner: LogScanner?
    while true {
      window.wait()
      if cancelled.load(ordering: .acquiring) { return }
      let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
      guard index < ranges.count else {
        window.signal()
        return
      }
      // SAFETY: only this worker writes slot `index`; see the type's comment.
      slots[index] = scan(ranges[index], reusing: &reader, scanner: &scanner)
      ready[index].signal()
    }
  }

  /// The result of range `index`, once a worker has published it.
  func take(_ index: Int) -> RangeResult {
    ready[index].wait()
    // SAFETY: the worker finished writing before signalling `ready[index]`.
    let result = slots[index].take()!
    window.signal()
    return result
  }

  /// Event arrays handed back after delivery, so that workers reuse their capacity instead of
  /// growing fresh multi-MB arrays for every range.
  ///
  /// Guarded by `spareLock`, a semaphore rather than a `Mutex`: ThreadSanitizer does not see the
  /// futex under `Synchronization.Mutex` on Linux and reported the guarded accesses as races; it
  /// does see libdispatch's semaphores (`make tsan`).
  private var spareEventArrays: [[LogEvent]] = []
  private let spareLock = DispatchSemaphore(value: 1)

  /// Gives an array of delivered events back for reuse; `events` is left empty.
  ///
  /// The array must be the only reference to its buffer, or emptying it would allocate a new one
  /// (then every range would fault in fresh pages: 62,000 page faults on 1 GiB).
  func recycle(_ events: inout [LogEvent]) {
    events.removeAll(keepingCapacity: true)
    var emptied: [LogEvent] = []
    swap(&emptied, &events)
    spareLock.wait()
    // SAFETY: `spareEventArrays` is only touched while holding `spareLock`.
    if spareEventArrays.count < 4 { spareEventArrays.append(emptied) }
    spareLock.signal()
  }

  private func takeEventArray() -> [LogEvent] {
    spareLock.wait()
    defer { spareLock.signal() }
    // SAFETY: as in `recycle`.
    return spareEventArrays.popLast() ?? []
  }

  /// Stops the workers (after an error, or at the end) so that none is left waiting.
  func cancel(workers: Int) {
    cancelled.store(true, ordering: .releasing)
    for _ in 0..<workers { window.signal() }
  }

  /// Parses `range`, reading on past its end while a block is open.
  ///
  /// - Parameters:
  ///   - reader: a reader to move to `range`, or `nil` to open one (left there for the next call).
  ///   - reused: a scanner that read an earlier range to its end (its formats hold no open
  ///     block, which leaves them as fresh ones: ``LogFormat/readsFromAnyLine``), or `nil` to
  ///     make one; left there for the next call unless reading failed.
  ///   - insideTrainingBlock: whether the lines before `range` left an HF training block open
  ///     (see ``LogScanner/startStretch(insideTrainingBlock:)``); workers assume not, and the
  ///     delivering thread parses a range again in the rare case it was.
  func scan(
    _ range: Range<Int64>, reusing reader: inout ChunkReader?, scanner reused: inout LogScanner?,
    insideTrainingBlock: Bool = false
  ) -> RangeResult {
    var result = RangeResult(start: range.lowerBound, end: range.upperBound)
    let scanner = reused.take() ?? LogScanner(unsequencedFormats: formats())
    scanner.startStretch(insideTrainingBlock: insideTrainingBlock)
    scanner.adoptEventStorage(takeEventArray())
    do throws(InputError) {
      var opened: ChunkReader
      if let existing = reader.take() {
        opened = existing
        try opened.restart(range: range)
      } else {
        opened = try ChunkReader(path: path, range: range, readSize: readSize, maxSegmentLength: maxSegmentLength)
      }
      while let chunk = try opened.next(newlinesInPreviousChunk: scanner.newlinesInLastChunk) {
        if allowBinary {
          scanner.scan(chunk)
        } else if let nul = scanner.scanText(chunk) {
          stop(at: nul, in: chunk, scanner, &result)
          // Zeros where the file was cut under the mapping are no binary data.
          if let truncation = opened.truncationError() {
            result.binary = nil
            result.error = truncation
          }
          reader = consume opened
          reused = scanner
          return result
        }
      }
      // The range's events stay in the scanner until here, then move over in one piece.
      scanner.moveEvents(into: &result.events)
      result.statistics = opened.statistics
      result.newlines = opened.lineAfterLastChunk - 1
      let lineAfter = opened.lineAfterLastChunk
      reader = consume opened
      if range.upperBound < size, scanner.isInsideBlock {
        try readBlockTail(scanner, from: range.upperBound, firstLine: lineAfter, &result)
      } else if range.upperBound >= size {
        scanner.finish()
        scanner.moveEvents(into: &result.events)
      }
      reused = scanner
    } catch {
      // What was read before the failure is still delivered, as the sequential scan does.
      scanner.moveEvents(into: &result.events)
      result.error = error
    }
    return result
  }

  /// Reads on from `start` until the open block closes (or the file ends).
  private func readBlockTail(
    _ scanner: LogScanner, from start: Int64, firstLine: Int, _ result: inout RangeResult
  ) throws(InputError) {
    var reader = try ChunkReader(
      path: path, range: start..<size, firstLine: firstLine, readSize: readSize, maxSegmentLength: maxSegmentLength)
    while let chunk = try reader.next() {
      if stopsAtNUL(chunk, scanner, &result) {
        if let truncation = reader.truncationError() { throw truncation }
        return
      }
      let stop = scanner.scan(chunk, stoppingWhenBlockCloses: true)
      scanner.moveEvents(into: &result.events)
      if let stop {
        result.end = chunk.startOffset + Int64(stop)
        result.newlines = chunk.firstLine - 1 + ByteScan.countNewlines(chunk.bytes, in: 0..<stop)
        result.statistics.cutSegments += reader.statistics.cutSegments
        result.statistics.discardedBytes += reader.statistics.discardedBytes
        return
      }
    }
    scanner.finish()
    scanner.moveEvents(into: &result.events)
    result.end = size
    result.newlines = reader.lineAfterLastChunk - 1
    result.statistics.cutSegments += reader.statistics.cutSegments
    result.statistics.discardedBytes += reader.statistics.discardedBytes
  }

  /// Reads the part of `chunk` before its first NUL byte, if it has one and binary data is
  /// refused, finishes the formats there and records the place, as the sequential scan does.
  private func stopsAtNUL(_ chunk: Chunk, _ scanner: LogScanner, _ result: inout RangeResult) -> Bool {
    guard !allowBinary, let nul = ByteScan.firstNUL(chunk.bytes) else { return false }
    stop(at: nul, in: chunk, scanner, &result)
    return true
  }

  /// Reads the part of `chunk` before the NUL byte at `nul`, finishes the formats there and
  /// records the place.
  private func stop(at nul: Int, in chunk: Chunk, _ scanner: LogScanner, _ result: inout RangeResult) {
    let start = ByteScan.segmentStart(chunk.bytes, before: nul)
    scanner.scanSegments(of: chunk, before: nul)
    scanner.finish()
    scanner.moveEvents(into: &result.events)
    let line = chunk.firstLine + ByteScan.countNewlines(chunk.bytes, in: 0..<nul)
    result.binary = (line, chunk.startOffset + Int64(nul), chunk.startOffset == 0 && start == 0)
    result.end = chunk.startOffset + Int64(nul)
  }
}
