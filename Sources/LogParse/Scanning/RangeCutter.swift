#if canImport(Glibc)
  internal import Glibc
#endif

/// Cuts a regular file into ranges for ``ParallelScan``, each starting at the beginning of a
/// physical line (just after a `\n`).
enum RangeCutter {
  private static let probeSize = 64 * 1024

  /// Ranges of about `rangeSize` bytes covering `0..<size`; a range ends just after the first
  /// `\n` at or after its nominal end, so a very long line makes its range longer.
  static func ranges(of path: String, size: Int64, rangeSize: Int64) throws(InputError) -> [Range<Int64>] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw InputError(path: path, errno: errno) }
    defer { close(descriptor) }
    let probe = UnsafeMutableRawBufferPointer.allocate(byteCount: probeSize, alignment: 16)
    defer { probe.deallocate() }
    var ranges: [Range<Int64>] = []
    var start: Int64 = 0
    while start < size {
      let nominal = start + rangeSize
      guard nominal < size, let cut = try cutAfterNewline(descriptor, path, from: nominal - 1, probe) else {
        ranges.append(start..<size)
        break
      }
      ranges.append(start..<cut)
      start = cut
    }
    return ranges
  }

  /// The offset just after the first `\n` at or after `offset`, or `nil` when none follows.
  private static func cutAfterNewline(
    _ descriptor: Int32, _ path: String, from offset: Int64, _ probe: UnsafeMutableRawBufferPointer
  ) throws(InputError) -> Int64? {
    var position = offset
    while true {
      let count = pread(descriptor, probe.baseAddress!, probe.count, off_t(position))
      if count < 0 {
        if errno == EINTR { continue }
        throw InputError(path: path, errno: errno)
      }
      if count == 0 { return nil }
      // SAFETY: memchr reads the `count` bytes pread just wrote into `probe`.
      if let hit = memchr(probe.baseAddress!, 0x0A, count) {
        return position + Int64(probe.baseAddress!.distance(to: hit)) + 1
      }
      position += Int64(count)
    }
  }
}
