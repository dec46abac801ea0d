/// A decimal number as written, reduced to at most 19 significant digits: `significand × 10^exponent`.
///
/// Accepts exactly what `strtod` accepts for a plain decimal: an optional sign, digits with at most
/// one `.` (at least one digit), then optionally `e`/`E`, an optional sign and at least one digit.
struct DecimalText {
  /// Significant digits kept; 19 decimal digits always fit in 64 bits.
  static let maximumDigits = 19

  var negative = false
  var significand: UInt64 = 0
  var exponent = 0
  /// Whether non-zero digits beyond the 19th were dropped (the value lies between
  /// `significand` and `significand + 1`, times `10^exponent`).
  var truncated = false

  /// Reads all of `count` bytes at `base`, or returns `nil` when they are not one plain decimal.
  ///
  /// - Complexity: O(n); one pass, no allocation.
  init?(_ base: UnsafeRawPointer, _ count: Int) {
    var index = 0
    var byte = base.load(as: UInt8.self)
    if byte == 0x2D || byte == 0x2B {
      negative = byte == 0x2D
      index = 1
    }
    var digits = 0
    var sawDigit = false
    var sawPoint = false
    while index < count {
      byte = base.load(fromByteOffset: index, as: UInt8.self)
      let digit = byte &- 0x30
      if digit < 10 {
        sawDigit = true
        if digits < Self.maximumDigits {
          if significand != 0 || digit != 0 { digits &+= 1 }
          significand = significand &* 10 &+ UInt64(digit)
          if sawPoint { exponent &-= 1 }
        } else {
          if digit != 0 { truncated = true }
          if !sawPoint { exponent &+= 1 }
        }
      } else if byte == 0x2E, !sawPoint {
        sawPoint = true
      } else {
        break
      }
      index &+= 1
    }
    guard sawDigit else { return nil }
    guard index < count else { return }
    guard byte == 0x65 || byte == 0x45 else { return nil }
    index &+= 1
    guard index < count else { return nil }
    var exponentNegative = false
    byte = base.load(fromByteOffset: index, as: UInt8.self)
    if byte == 0x2D || byte == 0x2B {
      exponentNegative = byte == 0x2D
      index &+= 1
    }
    // Past a billion the value is zero or infinite whatever the digits say; stop growing.
    var written = 0
    let start = index
    while index < count {
      let digit = base.load(fromByteOffset: index, as: UInt8.self) &- 0x30
      guard digit < 10 else { return nil }
      if written < 1_000_000_000 { written = written &* 10 &+ Int(digit) }
      index &+= 1
    }
    guard index > start else { return nil }
    exponent &+= exponentNegative ? -written : written
  }
}
