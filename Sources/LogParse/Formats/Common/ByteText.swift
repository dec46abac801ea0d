internal import CPCRE2

#if canImport(Glibc)
  internal import Glibc
#endif

/// Small searches and conversions on borrowed bytes, for parsers that look at one segment.
enum ByteText {
  static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int, limit: Int = .max) -> Int? {
    var index = start
    let end = limit == .max ? bytes.count : min(bytes.count, start + limit)
    while index < end {
      if bytes[index] == byte { return index }
      index += 1
    }
    return nil
  }

  static func contains(_ bytes: UnsafeRawBufferPointer, _ byte: UInt8) -> Bool {
    firstIndex(of: byte, in: bytes, from: 0) != nil
  }

  /// The offset of `literal` in `bytes` at or after `start` (a match starting at most `limit`
  /// bytes on). glibc's memmem: a byte loop here cost more than the regex it guards.
  static func find(_ literal: StaticString, in bytes: UnsafeRawBufferPointer, from start: Int, limit: Int = .max)
    -> Int?
  {
    let count = literal.utf8CodeUnitCount
    guard count > 0 else { return start }
    guard start >= 0, let base = bytes.baseAddress, bytes.count - start >= count else { return nil }
    let length = limit == .max ? bytes.count - start : min(bytes.count - start, limit + count)
    // SAFETY: the haystack is `length` bytes of `bytes` from `start`, the needle the literal's bytes.
    guard let hit = cpcre2_memmem(base + start, length, literal.utf8Start, count) else { return nil }
    return base.distance(to: hit)
  }

  static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString, at start: Int = 0) -> Bool {
    let count = literal.utf8CodeUnitCount
    guard start >= 0, bytes.count - start >= count else { return false }
    let pointer = literal.utf8Start
    for index in 0..<count where bytes[start + index] != pointer[index] { return false }
    return true
  }

  /// Whether `stored` holds exactly the bytes of `bytes` (memcmp: a generic element loop costs
  /// several times more on names compared once per field).
  static func equal(_ stored: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
    guard stored.count == bytes.count else { return false }
    guard let base = bytes.baseAddress else { return true }
    // SAFETY: both buffers hold `bytes.count` bytes, checked above.
    return stored.withUnsafeBytes { memcmp($0.baseAddress!, base, bytes.count) == 0 }
  }

  static func slice(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(rebasing: bytes[range])
  }

  static func string(_ bytes: UnsafeRawBufferPointer) -> String {
    String(decoding: bytes, as: UTF8.self)
  }

  static func string(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
    String(decoding: slice(bytes, range), as: UTF8.self)
  }

  /// `range` without leading and trailing spaces and tabs.
  static func trimmed(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
    var lower = range.lowerBound
    var upper = range.upperBound
    while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
    while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
    return lower..<upper
  }

  /// An unsigned decimal integer made only of digits (no separators, no sign).
  static func digits(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard !bytes.isEmpty, bytes.count < 19 else { return nil }
    var value = 0
    for byte in bytes {
      guard byte &- 0x30 < 10 else { return nil }
      value = value * 10 + Int(byte &- 0x30)
    }
    return value
  }

  static func int(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>?) -> Int? {
    guard let range else { return nil }
    let slice = slice(bytes, range)
    if slice.first == UInt8(ascii: "-") {
      return digits(UnsafeRawBufferPointer(rebasing: slice.dropFirst())).map { -$0 }
    }
    return digits(slice)
  }

  static func double(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>?) -> Double? {
    guard let range else { return nil }
    return NumberParser.parseDouble(slice(bytes, range))
  }
}
