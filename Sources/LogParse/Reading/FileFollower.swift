#if canImport(Glibc)
  internal import Glibc
#endif

/// Follows a log that is still being written, by polling (inotify does not work on NFS or Lustre).
///
/// Each ``poll(_:)`` reads what was appended since the last one and hands over only whole segments:
/// a last line still being written is held back until its terminator arrives. It survives
/// truncation in place (copytruncate: reading restarts at the top), rotation (rename and a new file:
/// the old file is read to its end first, then the new one from its start), deletion and
/// re-creation, and a file that does not exist yet.
///
/// ```swift
/// let follower = FileFollower(path: "train.log", fromStart: true)
/// while running { _ = follower.poll { chunk in scanner.scan(chunk) }; sleep(…) }
/// ```
public final class FileFollower {
  /// What a poll saw.
  public struct PollResult: Sendable, Equatable {
    public var bytesRead = 0
    public var truncated = false
    public var rotated = false
    /// The path does not exist (yet, or any more).
    public var missing = false
  }

  public let path: String
  private let maxSegmentLength: Int
  private var descriptor: Int32 = -1
  private var inode: UInt = 0
  private var offset: Int64 = 0
  private var pending: [UInt8] = []
  private var pendingStart: Int64 = 0
  private var nextLine = 1
  private var scratch: [UInt8]
  private var skipToEnd: Bool
  /// Dropping the rest of a line that was cut at the cap, until its terminator.
  private var skippingCutLine = false

  /// - Parameters:
  ///   - fromStart: read what the file already holds; otherwise start at its current end.
  public init(path: String, fromStart: Bool, maxSegmentLength: Int = ChunkReader.defaultMaxSegmentLength) {
    self.path = path
    self.maxSegmentLength = maxSegmentLength
    self.scratch = [UInt8](repeating: 0, count: 256 * 1024)
    self.skipToEnd = !fromStart
  }

  deinit {
    if descriptor >= 0 { close(descriptor) }
  }

  /// The inode of the file being read, if one is open: a directory watcher uses it to recognise a
  /// rotated file (`train.log.1`) as one it already read under its old name.
  public var followedInode: UInt? { descriptor >= 0 ? inode : nil }

  /// The 1-based line number the next segment will have.
  public var currentLine: Int { nextLine }

  /// Reads what was appended and calls `body` with the whole segments, as chunks.
  public func poll(_ body: (Chunk) -> Void) -> PollResult {
    var result = PollResult()
    var info = stat()
    let exists = stat(path, &info) == 0
    if descriptor >= 0 {
      if !exists || UInt(info.st_ino) != inode {
        // Rotated or deleted: what the old file still holds comes first, then it is finished. It
        // may have been cut in place and refilled just before (copytruncate, then rotation).
        if restartIfTruncated() { result.truncated = true }
        result.bytesRead += drain(body)
        flushPending(body)
        close(descriptor)
        descriptor = -1
        if exists { result.rotated = true }
      }
    }
    guard exists else {
      // A file that appears later is all new: it is read from its start.
      skipToEnd = false
      result.missing = true
      return result
    }
    if descriptor < 0 {
      guard open(info) else {
        result.missing = true
        return result
      }
    }
    if restartIfTruncated() { result.truncated = true }
    result.bytesRead += drain(body)
    return result
  }

  /// Truncated in place: the content starts over; a half line from before is gone. Returns
  /// whether it was.
  ///
  /// Only a file now shorter than what was read shows it: a file cut and refilled past that point
  /// between two polls looks like one that grew (copytruncate's known race).
  private func restartIfTruncated() -> Bool {
    var current = stat()
    guard fstat(descriptor, &current) == 0, Int64(current.st_size) < offset else { return false }
    offset = 0
    pending.removeAll()
    pendingStart = 0
    nextLine = 1
    skippingCutLine = false
    lseek(descriptor, 0, SEEK_SET)
    return true
  }

  /// Hands over a last line that never got its terminator (the writer is done).
  public func finish(_ body: (Chunk) -> Void) {
    _ = drain(body)
    flushPending(body)
  }

  private func open(_ info: stat) -> Bool {
    let opened = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    guard opened >= 0 else { return false }
    descriptor = opened
    inode = UInt(info.st_ino)
    offset = 0
    pending.removeAll()
    pendingStart = 0
    nextLine = 1
    skippingCutLine = false
    if skipToEnd {
      skipToEnd = false
      offset = Int64(lseek(opened, 0, SEEK_END))
      pendingStart = offset
      // Line numbers stay true: count the lines being skipped.
      nextLine = 1 + countLines(upTo: offset)
      lseek(opened, off_t(offset), SEEK_SET)
    }
    return true
  }

  /// Reads to the current end of file; returns the bytes read.
  private func drain(_ body: (Chunk) -> Void) -> Int {
    var total = 0
    while true {
      let count = scratch.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { break }
      total += count
      offset += Int64(count)
      var fresh = scratch[0..<count]
      if skippingCutLine {
        let end = scratch.withUnsafeBytes { ByteScan.segmentEnd(UnsafeRawBufferPointer(rebasing: $0[0..<count]), from: 0) }
        pendingStart += Int64(end)
        guard end < count else { continue }
        skippingCutLine = false
        fresh = scratch[end..<count]
      }
      pending.append(contentsOf: fresh)
      emitWholeSegments(body)
    }
    return total
  }

  private func emitWholeSegments(_ body: (Chunk) -> Void) {
    let last: Int? = pending.withUnsafeBytes { ByteScan.lastTerminator($0) }
    if let last {
      emit(length: last + 1, cut: false, body)
    } else if pending.count >= maxSegmentLength {
      // An endless line: hand over the cap's worth and drop the rest of it as it comes.
      emit(length: maxSegmentLength, cut: true, body)
      pendingStart += Int64(pending.count)
      pending.removeAll()
      skippingCutLine = true
    }
  }

  private func emit(length: Int, cut: Bool, _ body: (Chunk) -> Void) {
    pending.withUnsafeBytes { buffer in
      let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
      body(Chunk(bytes: bytes, firstLine: nextLine, startOffset: pendingStart, endsWithCutSegment: cut))
      nextLine += ByteScan.countNewlines(bytes, in: 0..<length)
    }
    pendingStart += Int64(length)
    pending.removeFirst(min(length, pending.count))
  }

  private func flushPending(_ body: (Chunk) -> Void) {
    guard !pending.isEmpty else { return }
    emit(length: pending.count, cut: false, body)
  }

  private func countLines(upTo end: Int64) -> Int {
    var lines = 0
    var position: Int64 = 0
    lseek(descriptor, 0, SEEK_SET)
    while position < end {
      let wanted = Int(min(Int64(scratch.count), end - position))
      let count = scratch.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, wanted) }
      guard count > 0 else { break }
      lines += scratch.withUnsafeBytes { ByteScan.countNewlines($0, in: 0..<count) }
      position += Int64(count)
    }
    return lines
  }
}
