internal import Dispatch

#if canImport(Glibc)
  internal import Glibc
#endif

/// Reads one regular file on several cores: the file is cut into ranges just after a `\n`, the
/// ranges are parsed in parallel (one set of formats per worker, readied for each range it takes),
/// and their events are delivered in input order, with line numbers counted from the file's start.
/// The events are exactly those of
/// ``LogScanner/scanFile(_:formats:allowBinary:readSize:maxSegmentLength:_:)``.
///
/// The rules that keep it exact: a range starts at the beginning of a physical line; a range
/// that ends inside a multi-line block reads on past its end until the block closes, and the next
/// range then starts where the block closed (it is parsed again from there, on the calling
/// thread); the formats' events pass, merged in order, through one ``LogSequencer``, the same
/// second stage the sequential scan runs, which applies every state that crosses records; and a
/// range that starts inside an HF training block (whose label lines are searched for only there)
/// is parsed again on the calling thread, knowing it.
/// A format that keeps such state itself opts out (``LogFormat/readsFromAnyLine``), and then, as
/// for standard input, small files and one thread, the file is read sequentially. A NUL byte
/// stops the read where the sequential scan stops, with the same error.
///
/// Memory stays bounded: at most `threads` finished ranges wait ahead of the one being
/// delivered, and each holds only its own events. The file is read up to the size it had when
/// the scan started (a log still being written is read to that point).
///
/// ```swift
/// try ParallelScan.scanFile("train.log", threads: 2) { event in … }
/// ```
public enum ParallelScan {
  /// Below this size a file is read on one core: thread start-up would cost more than it saves.
  public static let defaultMinimumSize: Int64 = 64 << 20
  /// 4 MiB: a worker reuses its reader and formats, so a range costs little to start, and the
  /// events a range holds until delivery stay 1–3 MB (8 MiB ranges: 55 MB peak RSS for `series`
  /// on the mixed 1 GiB benchmark log with two threads; 4 MiB: 39 MB, the same CPU time).
  public static let defaultRangeSize: Int64 = 4 << 20

  /// The number of cores this process may use.
  public static var availableCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  /// Reads `path` with `threads` parser threads when it is a regular file of at least
  /// `minimumSize` bytes and every format reads from any line; sequentially otherwise.
  ///
  /// - Throws: ``InputError`` as the sequential scan does; events of the ranges before a read
  ///   failure have been delivered.
  @discardableResult
  public static func scanFile(
    _ path: String, threads: Int = availableCores,
    formats: @escaping @Sendable () -> [any LogFormat] = FormatRegistry.consoleFormats,
    allowBinary: Bool = false, minimumSize: Int64 = defaultMinimumSize, rangeSize: Int64 = defaultRangeSize,
    readSize: Int = ChunkReader.defaultReadSize, maxSegmentLength: Int = ChunkReader.defaultMaxSegmentLength,
    _ consume: (LogEvent) -> Void
  ) throws(InputError) -> ChunkReader.Statistics {
    let sequentialFormats = formats()
    guard threads > 1, path != "-", let size = regularFileSize(path), size >= minimumSize, size > 0,
      sequentialFormats.allSatisfy(\.readsFromAnyLine)
    else {
      return try LogScanner.scanFile(
        path, formats: sequentialFormats, allowBinary: allowBinary, readSize: readSize,
        maxSegmentLength: maxSegmentLength, consume)
    }
    let ranges = try RangeCutter.ranges(of: path, size: size, rangeSize: max(1, rangeSize))
    return try scan(
      path, size: size, ranges: ranges, threads: threads, formats: formats, allowBinary: allowBinary,
      readSize: readSize, maxSegmentLength: maxSegmentLength, consume)
  }

  /// Reads `ranges` of `path` (contiguous, covering `0..<size`, each starting after a `\n`) on
  /// `threads` parser threads. Tests choose the ranges; ``scanFile`` cuts them.
  static func scan(
    _ path: String, size: Int64, ranges: [Range<Int64>], threads: Int,
    formats: @escaping @Sendable () -> [any LogFormat], allowBinary: Bool, readSize: Int, maxSegmentLength: Int,
    _ consume: (LogEvent) -> Void
  ) throws(InputError) -> ChunkReader.Statistics {
    let job = RangeJob(
      path: path, size: size, ranges: ranges, formats: formats, allowBinary: allowBinary, readSize: readSize,
      maxSegmentLength: maxSegmentLength, lookahead: threads)
    let group = DispatchGroup()
    for _ in 0..<threads {
      DispatchQueue.global(qos: .userInitiated).async(group: group) { job.work() }
    }
    defer {
      job.cancel(workers: threads)
      group.wait()
    }
    return try deliver(job, consume)
  }

  /// Hands the ranges' events to `consume` in order, re-reading a range that a block overran.
  private static func deliver(_ job: RangeJob, _ consume: (LogEvent) -> Void) throws(InputError)
    -> ChunkReader.Statistics
  {
    var statistics = ChunkReader.Statistics()
    let sequencer = LogSequencer()
    var resumeAt: Int64 = 0
    var linesBefore = 0
    for index in job.ranges.indices {
      let range = job.ranges[index]
      var result = job.take(index)
      if resumeAt >= range.upperBound { continue }
      if resumeAt > range.lowerBound || sequencer.isInsideTrainingBlock {
        // The previous range read a block on into this one, or ended inside an HF training
        // block (whose label lines the worker did not search for): start again where it ended.
        var reader: ChunkReader?
        var scanner: LogScanner?
        result = job.scan(
          resumeAt..<range.upperBound, reusing: &reader, scanner: &scanner,
          insideTrainingBlock: sequencer.isInsideTrainingBlock)
      }
      // Moved out first, so that the array is uniquely referenced when it is recycled.
      var events: [LogEvent] = []
      swap(&events, &result.events)
      // Shifted in place, then moved out to the sequencer: no copy of each event.
      events.withUnsafeMutableBufferPointer { buffer in
        for index in buffer.indices { buffer[index].shiftLines(by: linesBefore) }
        sequencer.add(movingFrom: buffer, consume)
      }
      job.recycle(&events)
      statistics.bytesRead += result.end - result.start
      statistics.cutSegments += result.statistics.cutSegments
      statistics.discardedBytes += result.statistics.discardedBytes
      // As in the sequential scan, a read error ends the input without a finish.
      if let error = result.error { throw error }
      if let nul = result.binary {
        sequencer.finish(consume)
        throw LogScanner.binaryError(
          path: job.path, line: nul.line + linesBefore, offset: nul.offset, startsFile: nul.startsFile)
      }
      linesBefore += result.newlines
      resumeAt = result.end
    }
    sequencer.finish(consume)
    return statistics
  }

  /// The size of `path` when it is a regular file, else `nil` (standard input `-`, a pipe, a FIFO,
  /// a directory, a missing file).
  public static func regularFileSize(_ path: String) -> Int64? {
    guard path != "-" else { return nil }
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int64(info.st_size)
  }
}
