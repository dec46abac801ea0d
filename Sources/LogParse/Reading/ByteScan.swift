internal import CPCRE2

#if canImport(Glibc)
  internal import Glibc
#endif

/// Byte-level searches used on the hot path: line terminators and newline counts.
public enum ByteScan {
  static let newline: UInt8 = 0x0A
  static let carriageReturn: UInt8 = 0x0D

  /// The index of the first `\n` or `\r` at or after `start`, or `bytes.count` when there is none.
  public static func segmentEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
    guard let base = bytes.baseAddress, start < bytes.count else { return bytes.count }
    // memchr for \n first (lines are short, \n is always there), then look for a \r before it:
    // two memchr calls beat a byte loop over both (performance.md item 4).
    let length = bytes.count - start
    let lineEnd: Int
    if let hit = memchr(base + start, 0x0A, length) {
      lineEnd = base.distance(to: UnsafeRawPointer(hit))
    } else {
      lineEnd = bytes.count
    }
    if lineEnd > start, let hit = memchr(base + start, 0x0D, lineEnd - start) {
      return base.distance(to: UnsafeRawPointer(hit))
    }
    return lineEnd
  }

  /// The index just after the last `\n` or `\r` before `end` (the start of the segment holding
  /// `end - 1`), or 0.
  public static func segmentStart(_ bytes: UnsafeRawBufferPointer, before end: Int) -> Int {
    var index = end
    while index > 0 {
      let byte = bytes[index - 1]
      if byte == 0x0A || byte == 0x0D { return index }
      index -= 1
    }
    return 0
  }

  /// The index of the last `\n` or `\r` in `bytes`, or `nil`.
  static func lastTerminator(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
    let newline = cpcre2_memrchr(base, 0x0A, bytes.count).map { base.distance(to: $0) } ?? -1
    // A \r after the last \n (tqdm's redraw) also ends a segment.
    let tailStart = newline + 1
    if tailStart < bytes.count,
      let carriage = cpcre2_memrchr(base + tailStart, 0x0D, bytes.count - tailStart)
    {
      return base.distance(to: carriage)
    }
    return newline >= 0 ? newline : nil
  }

  /// The number of `\n` bytes in `bytes[range]`.
  ///
  /// Runs in the C shim: one vector compare per 64 bytes (AVX-512BW) or 32 (AVX2), whose mask's
  /// population count is the block's newlines, about 0.1 instructions per byte against 0.65 for
  /// a Swift `SIMD16` loop whose lanes must be summed; a byte loop on other CPUs and for the tail.
  /// `widestVector` caps the vector width in bytes (64, 32, or 0 for the byte loop), for tests.
  public static func countNewlines(
    _ bytes: UnsafeRawBufferPointer, in range: Range<Int>, widestVector: Int = 64
  ) -> Int {
    guard let base = bytes.baseAddress, !range.isEmpty else { return 0 }
    precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count)
    // SAFETY: the range lies inside `bytes` (checked above); the shim reads only those bytes.
    let start = (base + range.lowerBound).assumingMemoryBound(to: UInt8.self)
    return cpcre2_count_newlines(start, range.count, UInt32(clamping: widestVector))
  }

  /// Appends the offset of every `first` byte in `bytes` that is followed by `second`.
  ///
  /// For a two-byte literal with a rare first byte (`{'` in a console log) memchr skips the rest
  /// of the chunk several times faster than a PCRE2 JIT search for the same literal (callgrind:
  /// 0.2 against 1.05 instructions per byte of log), performance.md item 1.
  public static func appendOffsets(
    of first: UInt8, followedBy second: UInt8, in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]
  ) {
    guard let base = bytes.baseAddress, bytes.count > 1 else { return }
    var start = 0
    let last = bytes.count - 1  // a hit in the last byte has no second byte
    while start < last, let hit = memchr(base + start, Int32(first), last - start) {
      let offset = base.distance(to: UnsafeRawPointer(hit))
      // SAFETY: offset < last, so offset + 1 is inside the buffer.
      if base.load(fromByteOffset: offset + 1, as: UInt8.self) == second { offsets.append(offset) }
      start = offset + 1
    }
  }

  /// The offset of the first NUL byte in `bytes`, or `nil` (binary-file detection, as ripgrep does).
  public static func firstNUL(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
    return memchr(base, 0, bytes.count).map { base.distance(to: UnsafeRawPointer($0)) }
  }
}

/// Turns byte offsets within a chunk into line numbers, moving forward only.
struct LineCursor {
  private var offset = 0
  private var line: Int

  init(firstLine: Int) { line = firstLine }

  /// Moves to `target`, known to be on `line`, when that is ahead of the cursor (a count made
  /// elsewhere, such as the anchor sweep's); a target behind it changes nothing.
  @inline(__always)
  mutating func jump(to target: Int, line: Int) {
    guard target > offset else { return }
    offset = target
    self.line = line
  }

  /// The line of the byte at `target`; `target` must not go backwards between calls.
  mutating func line(at target: Int, in bytes: UnsafeRawBufferPointer) -> Int {
    if target > offset {
      line &+= ByteScan.countNewlines(bytes, in: offset..<target)
      offset = target
    }
    return line
  }
}
