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

  /// The offset of `literal` in `bytes` at or after `start` (searching at most `limit` bytes on).
  static func find(_ literal: StaticString, in bytes: UnsafeRawBufferPointer, from start: Int, limit: Int = .max)
    -> Int?
  {
    let count = literal.utf8CodeUnitCount
    let pointer = literal.utf8Start
    guard count > 0 else { return start }
    let last = limit == .max ? bytes.count - count : min(bytes.count - count, start + limit)
    var index = start
    while index <= last {
      if bytes[index] == pointer[0] {
        var offset = 1
        while offset < count, bytes[index + offset] == pointer[offset] { offset += 1 }
        if offset == count { return index }
      }
      index += 1
    }
    return nil
  }

  static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString, at start: Int = 0) -> Bool {
    let count = literal.utf8CodeUnitCount
    guard start >= 0, bytes.count - start >= count else { return false }
    let pointer = literal.utf8Start
    for index in 0..<count where bytes[start + index] != pointer[index] { return false }
    return true
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
