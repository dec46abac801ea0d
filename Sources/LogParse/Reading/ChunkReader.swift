#if canImport(Glibc)
  internal import Glibc
#endif

/// Reads an input (a file, or standard input as `-`) in chunks of whole segments, through one
/// reused buffer, or, for a regular file, straight from a moving memory mapping (``FileWindow``).
///
/// The two ways give the same chunks: the mapped reader moves through the file by the same
/// `readSize` steps as `read` would, only without copying the bytes.
///
/// Memory is bounded whatever the input: a buffer of `readSize + maxSegmentLength` bytes (allocated
/// for a mapped file too, untouched unless the mapping fails and the reader falls back to `read`),
/// plus the mapped window's pages (``FileWindow/minimumLength``, more only to hold one segment and
/// one read). A segment longer than
/// `maxSegmentLength` is cut there, the rest of it up to the next terminator is discarded, and the
/// cut is counted in ``statistics``. The cap is checked before each read, so a segment whose end
/// arrives in the same read passes whole, up to `maxSegmentLength + readSize` bytes (found by the
/// segment-reader fuzz target). A last line without `\n` is still returned.
///
/// ```swift
/// var reader = try ChunkReader(path: "train.log")
/// while let chunk = try reader.next() { chunk.forEachSegment { print($0.line) } }
/// ```
public struct ChunkReader: ~Copyable {
  public struct Statistics: Sendable {
    public var bytesRead: Int64 = 0
    /// Segments longer than the cap, cut there.
    public var cutSegments = 0
    /// Bytes dropped from cut segments.
    public var discardedBytes: Int64 = 0
  }

  public static let defaultReadSize = 512 * 1024
  public static let defaultMaxSegmentLength = 1024 * 1024

  public let path: String
  public private(set) var statistics = Statistics()

  private let descriptor: Int32
  private let ownsDescriptor: Bool
  private let readSize: Int
  private let maxSegmentLength: Int
  private let buffer: UnsafeMutableRawBufferPointer
  /// The mapping a regular file is read through; `nil` reads with `read` into `buffer`.
  private var window: FileWindow?
  /// With a window: the file offset the next read starts at. The held bytes are the `held`
  /// bytes before it.
  private var readPosition: Int64 = 0
  /// Where the last chunk returned starts (its newlines are counted at the next call).
  private var uncountedBase: UnsafeRawPointer?
  /// The file offset just after the last chunk returned.
  private var lastChunkEnd: Int64 = 0
  /// Bytes at the front of `buffer` that belong to a segment not yet ended.
  private var held = 0
  /// Bytes after the last returned chunk, to move to the front before the next read.
  private var pendingStart = 0
  private var pendingCount = 0
  private var nextLine = 1
  private var nextOffset: Int64 = 0
  /// Dropping the rest of a cut segment until the next terminator.
  private var skipping = false
  private var atEnd = false
  /// Bytes left to read when the reader covers a range of a file (``init(path:range:firstLine:readSize:maxSegmentLength:)``).
  private var remaining: Int64 = .max
  /// The length of the last chunk returned, whose newlines are not yet in `nextLine`.
  private var uncountedLength = 0

  /// Opens `path` read-only (`-` is standard input).
  public init(
    path: String, readSize: Int = defaultReadSize, maxSegmentLength: Int = defaultMaxSegmentLength
  ) throws(InputError) {
    let descriptor = path == "-" ? STDIN_FILENO : try Self.open(path)
    self.init(
      descriptor: descriptor, ownsDescriptor: path != "-", name: path, readSize: readSize,
      maxSegmentLength: maxSegmentLength)
  }

  /// Opens a file that is not a directory.
  private static func open(_ path: String) throws(InputError) -> Int32 {
    let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw InputError(path: path, errno: errno) }
    var info = stat()
    if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
      close(descriptor)
      throw InputError(path: path, errno: EISDIR)
    }
    return descriptor
  }

  /// Reads the bytes of `range` of the regular file at `path`, as if they were a whole input
  /// whose first byte is at offset `range.lowerBound` and on line `firstLine`.
  ///
  /// ``ParallelScan`` reads one file as several such ranges, each cut just after a `\n`.
  public init(
    path: String, range: Range<Int64>, firstLine: Int = 1, readSize: Int = defaultReadSize,
    maxSegmentLength: Int = defaultMaxSegmentLength
  ) throws(InputError) {
    let descriptor = try Self.open(path)
    guard lseek(descriptor, off_t(range.lowerBound), SEEK_SET) >= 0 else {
      let code = errno
      close(descriptor)
      throw InputError(path: path, errno: code)
    }
    self.init(
      descriptor: descriptor, ownsDescriptor: true, name: path, readSize: readSize, maxSegmentLength: maxSegmentLength)
    remaining = Int64(range.count)
    nextOffset = range.lowerBound
    nextLine = firstLine
    readPosition = range.lowerBound
  }

  /// Moves a reader opened with ``init(path:range:firstLine:readSize:maxSegmentLength:)`` to
  /// another range of the same file, keeping its buffer (a parallel worker reads many ranges).
  public mutating func restart(range: Range<Int64>, firstLine: Int = 1) throws(InputError) {
    guard lseek(descriptor, off_t(range.lowerBound), SEEK_SET) >= 0 else { throw InputError(path: path, errno: errno) }
    statistics = Statistics()
    held = 0
    pendingStart = 0
    pendingCount = 0
    uncountedLength = 0
    skipping = false
    atEnd = false
    remaining = Int64(range.count)
    nextOffset = range.lowerBound
    nextLine = firstLine
    readPosition = range.lowerBound
    uncountedBase = nil
    window?.clearTruncation()
  }

  /// Reads with `read` even from a regular file (tests compare the two ways); call it before
  /// the first chunk.
  mutating func readWithoutMapping() {
    precondition(statistics.bytesRead == 0 && held == 0)
    window = nil
  }

  /// Makes the window's next mappings fail, as `mmap` can: the reader goes on with `read`.
  mutating func refuseFurtherMappings() { window?.refusesToMap = true }

  /// Whether the reader reads through a mapping (tests check that the mapped path ran).
  var isMapped: Bool { window != nil }

  /// Maps the file in windows of `length` bytes instead of ``FileWindow/minimumLength`` (tests
  /// move the window often); call it before the first chunk.
  mutating func mapInWindows(of length: Int) {
    precondition(statistics.bytesRead == 0 && held == 0)
    if window != nil { window = FileWindow(descriptor: descriptor, minimumLength: length) }
  }

  /// The 1-based line number of the next byte to be returned (lines are counted by `\n`).
  public var lineAfterLastChunk: Int {
    guard uncountedLength > 0, let uncountedBase else { return nextLine }
    return nextLine + ByteScan.countNewlines(UnsafeRawBufferPointer(start: uncountedBase, count: uncountedLength), in: 0..<uncountedLength)
  }

  /// Reads from an open descriptor, which the reader does not close.
  public init(
    fileDescriptor: Int32, name: String, readSize: Int = defaultReadSize,
    maxSegmentLength: Int = defaultMaxSegmentLength
  ) {
    self.init(
      descriptor: fileDescriptor, ownsDescriptor: false, name: name, readSize: readSize,
      maxSegmentLength: maxSegmentLength)
  }

  private init(descriptor: Int32, ownsDescriptor: Bool, name: String, readSize: Int, maxSegmentLength: Int) {
    precondition(readSize > 0 && maxSegmentLength > 0)
    self.path = name
    self.descriptor = descriptor
    self.ownsDescriptor = ownsDescriptor
    self.readSize = readSize
    self.maxSegmentLength = maxSegmentLength
    self.buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: readSize + maxSegmentLength, alignment: 64)
    // Standard input and descriptors handed in are read (a caller may share the position).
    if ownsDescriptor { window = FileWindow(descriptor: descriptor) }
  }

  deinit {
    buffer.deallocate()
    if ownsDescriptor { close(descriptor) }
  }

  /// The next run of whole segments, or `nil` at the end of the input.
  ///
  /// - Throws: ``InputError`` when reading fails; what was returned before stays valid data.
  public mutating func next() throws(InputError) -> Chunk? {
    try next(newlinesInPreviousChunk: nil)
  }

  /// The next chunk, for a caller that has already counted the `\n` bytes of the previous one
  /// (``LogScanner`` does, to number its events), so that the reader need not count them again.
  ///
  /// - Parameter newlinesInPreviousChunk: the count, or `nil` to let the reader count.
  public mutating func next(newlinesInPreviousChunk: Int?) throws(InputError) -> Chunk? {
    if uncountedLength > 0 {
      nextLine +=
        newlinesInPreviousChunk
        ?? ByteScan.countNewlines(UnsafeRawBufferPointer(start: uncountedBase, count: uncountedLength), in: 0..<uncountedLength)
      uncountedLength = 0
    }
    if let window, window.wasTruncated {
      // The file shrank under the last chunk (its missing pages read as zeros): the input ends
      // there, as with `read`. A caller that met the zeros asks ``truncationError()``.
      window.clearTruncation()
      held = 0
      pendingCount = 0
      skipping = false
      atEnd = true
      return nil
    }
    if pendingCount > 0 {
      if window == nil {
        // SAFETY: both ranges lie inside `buffer`; memmove handles the overlap.
        memmove(buffer.baseAddress!, buffer.baseAddress! + pendingStart, pendingCount)
      }
      // With a window, the pending bytes are the last `pendingCount` before `readPosition`.
      held = pendingCount
    }
    pendingCount = 0
    while true {
      // Held bytes never contain a terminator here: they are one unfinished segment.
      if held >= maxSegmentLength { return cutHeldSegment() }
      if atEnd { return finalChunk() }
      let count = try readMore()
      if count == 0 {
        // A mapped file that shrank below the held bytes ends at its new end.
        if endsAtShrunkFile() { return wholeSegmentsAfterShrinking() }
        atEnd = true
        continue
      }
      if skipping {
        dropCutRemainder()
        if endsAtShrunkFile() { return wholeSegmentsAfterShrinking() }
        if skipping { continue }
      }
      let filled = UnsafeRawBufferPointer(start: front, count: held)
      let last = ByteScan.lastTerminator(filled)
      if endsAtShrunkFile() { return wholeSegmentsAfterShrinking() }
      if let last { return emit(length: last + 1, cut: false) }
    }
  }

  /// Returns the first `maxSegmentLength` bytes of an over-long segment and drops the rest of it.
  private mutating func cutHeldSegment() -> Chunk {
    statistics.cutSegments += 1
    let dropped = held - maxSegmentLength
    statistics.discardedBytes += Int64(dropped)
    skipping = true
    let chunk = emit(length: maxSegmentLength, cut: true)
    pendingCount = 0
    nextOffset += Int64(dropped)
    return chunk
  }

  /// Reads up to `readSize` bytes after the held ones; returns how many arrived.
  private mutating func readMore() throws(InputError) -> Int {
    if let window {
      var count = min(Int64(readSize), remaining)
      if readPosition + count > window.fileSize {
        window.refreshSize()
        count = max(0, min(count, window.fileSize - readPosition))
      }
      if count > 0 {
        guard window.address(of: (readPosition - Int64(held))..<(readPosition + count)) != nil else {
          try leaveWindow()
          return try readMore()
        }
      }
      held += Int(count)
      readPosition += count
      remaining -= count
      statistics.bytesRead += count
      return Int(count)
    }
    while true {
      // SAFETY: held + readSize <= buffer.count because held < maxSegmentLength here.
      let result = read(descriptor, buffer.baseAddress! + held, Int(min(Int64(readSize), remaining)))
      if result >= 0 {
        held += result
        remaining -= Int64(result)
        statistics.bytesRead += Int64(result)
        return result
      }
      if errno == EINTR { continue }
      throw InputError(path: path, errno: errno)
    }
  }

  /// Goes on with `read` when the file cannot be mapped further: the held bytes move into the
  /// buffer (read again from the file if they cannot be mapped either) and the descriptor is
  /// positioned after them.
  private mutating func leaveWindow() throws(InputError) {
    guard let window else { return }
    let start = readPosition - Int64(held)
    if held > 0 {
      if let mapped = window.address(of: start..<readPosition) {
        // SAFETY: `held` < maxSegmentLength + readSize, the buffer's size.
        buffer.baseAddress!.copyMemory(from: mapped, byteCount: held)
      } else {
        var done = 0
        while done < held {
          // SAFETY: as above; each read lands in buffer[done ..< held].
          let result = pread(descriptor, buffer.baseAddress! + done, held - done, off_t(start) + off_t(done))
          if result > 0 {
            done += result
          } else if result == 0 {
            // The file shrank meanwhile: keep what it still has.
            held = done
            readPosition = start + Int64(done)
          } else if errno != EINTR {
            throw InputError(path: path, errno: errno)
          }
        }
      }
    }
    self.window = nil
    guard lseek(descriptor, off_t(readPosition), SEEK_SET) >= 0 else { throw InputError(path: path, errno: errno) }
  }

  /// The start of the held bytes.
  private var front: UnsafeRawPointer {
    guard let window, held > 0 else { return UnsafeRawPointer(buffer.baseAddress!) }
    // The window holds them: every read checked that it covers them.
    return window.address(of: (readPosition - Int64(held))..<readPosition)!
  }

  /// Whether the file shrank under the mapping below what the reader has taken in: its missing
  /// pages then read as zeros (the guard saw a fault), and the rest of a page past the new end
  /// reads as zeros without one (only the file's size tells). The held bytes are cut back to
  /// the file's end, which is where the input ends, as it does with `read`.
  private mutating func endsAtShrunkFile() -> Bool {
    guard let window else { return false }
    let faulted = window.wasTruncated
    window.refreshSize()
    guard faulted || window.fileSize < readPosition else { return false }
    window.clearTruncation()
    let start = readPosition - Int64(held)
    let end = max(start, min(readPosition, window.fileSize))
    held = Int(end - start)
    readPosition = end
    remaining = 0
    atEnd = true
    return true
  }

  /// After ``endsAtShrunkFile()``: the whole segments among the held bytes (they may hold many),
  /// or what the end of the input gives.
  private mutating func wholeSegmentsAfterShrinking() -> Chunk? {
    if skipping { dropCutRemainder() }
    if !skipping, let last = ByteScan.lastTerminator(UnsafeRawBufferPointer(start: front, count: held)) {
      return emit(length: last + 1, cut: false)
    }
    if held >= maxSegmentLength { return cutHeldSegment() }
    return finalChunk()
  }

  /// The error for a file that was truncated under the chunk last returned: the bytes past the
  /// new end read as zeros, so what the caller saw there is not the file's. A caller that finds
  /// NUL bytes asks this before calling them binary data. (A caller that reads NUL bytes as text,
  /// `--binary`, is not told: the input just ends at the file's new end.)
  public func truncationError() -> InputError? {
    guard let window else { return nil }
    window.refreshSize()
    guard window.wasTruncated || window.fileSize < lastChunkEnd else { return nil }
    return InputError(
      path: path, kind: .readFailed,
      detail: "the file was truncated while it was being read; the records before line \(nextLine) were read")
  }

  /// Drops the newly read bytes up to the first terminator after a cut; stays in skipping mode
  /// when none came.
  private mutating func dropCutRemainder() {
    let fresh = UnsafeRawBufferPointer(start: front, count: held)
    let end = ByteScan.segmentEnd(fresh, from: 0)
    statistics.discardedBytes += Int64(end)
    nextOffset += Int64(end)
    if end == held {
      held = 0
      return
    }
    skipping = false
    if window == nil { memmove(buffer.baseAddress!, buffer.baseAddress! + end, held - end) }
    held -= end
  }

  private mutating func emit(length: Int, cut: Bool) -> Chunk {
    let bytes = UnsafeRawBufferPointer(start: front, count: length)
    let chunk = Chunk(bytes: bytes, firstLine: nextLine, startOffset: nextOffset, endsWithCutSegment: cut)
    uncountedBase = bytes.baseAddress
    lastChunkEnd = nextOffset + Int64(length)
    // Counted at the next call, unless the caller counted them already.
    uncountedLength = length
    nextOffset += Int64(length)
    pendingStart = length
    pendingCount = held - length
    held = 0
    return chunk
  }

  private mutating func finalChunk() -> Chunk? {
    guard held > 0, !skipping else { return nil }
    let chunk = emit(length: held, cut: false)
    pendingCount = 0
    return chunk
  }
}
