/// A decimal number as written, reduced to at most 19 significant digits: `significand × 10^exponent`.
///
/// Accepts exactly what `strtod` accepts for a plain decimal: an optional sign, digits with at most
/// one `.` (at least one digit), then optionally `e`/`E`, an optional sign and at least one digit.
struct DecimalText {
  /// Significant digits kept; 19 decimal digits always fit in 64 bits.
  static let maximumDigits = 19

  var negative: Bool
  var significand: UInt64
  var exponent: Int
  /// Whether non-zero digits beyond the 19th were dropped (the value lies between
  /// `significand` and `significand + 1`, times `10^exponent`).
  var truncated: Bool

  /// Reads all of `count` bytes at `base`, or returns `nil` when they are not one plain decimal.
  ///
  /// The common case (at most 19 digits) is one tight loop per digit run, in locals; longer
  /// mantissas are read again by ``readLong(_:_:_:)``.
  ///
  /// - Complexity: O(n); no allocation.
  @inline(__always)
  init?(_ base: UnsafeRawPointer, _ count: Int) {
    var index = 0
    var byte = base.load(as: UInt8.self)
    let negative = byte == 0x2D
    if negative || byte == 0x2B { index = 1 }
    let digitsStart = index
    // Leading zeros are not significant: `0.00019999999999999998` has 17 significant digits.
    while index < count, base.load(fromByteOffset: index, as: UInt8.self) == 0x30 { index &+= 1 }
    let significantStart = index
    var significand: UInt64 = 0
    // Wrapping arithmetic: past 19 digits the value is rebuilt by readLong.
    while index < count {
      let digit = base.load(fromByteOffset: index, as: UInt8.self) &- 0x30
      guard digit < 10 else { break }
      significand = significand &* 10 &+ UInt64(digit)
      index &+= 1
    }
    let integerDigits = index &- digitsStart
    var significantDigits = index &- significantStart
    var fractionDigits = 0
    if index < count, base.load(fromByteOffset: index, as: UInt8.self) == 0x2E {
      index &+= 1
      let fractionStart = index
      if significantDigits == 0 {
        while index < count, base.load(fromByteOffset: index, as: UInt8.self) == 0x30 { index &+= 1 }
      }
      let fractionSignificantStart = index
      // Eight digits at a time while they last: a 17-digit repr is two such words and one byte.
      while index &+ 8 <= count {
        let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        guard Self.isEightDigits(word) else { break }
        significand = significand &* 100_000_000 &+ Self.valueOfEightDigits(word)
        index &+= 8
      }
      while index < count {
        let digit = base.load(fromByteOffset: index, as: UInt8.self) &- 0x30
        guard digit < 10 else { break }
        significand = significand &* 10 &+ UInt64(digit)
        index &+= 1
      }
      fractionDigits = index &- fractionStart
      significantDigits &+= index &- fractionSignificantStart
    }
    guard integerDigits | fractionDigits != 0 else { return nil }
    let mantissaEnd = index
    var written = 0
    if index < count {
      byte = base.load(fromByteOffset: index, as: UInt8.self)
      guard byte == 0x65 || byte == 0x45 else { return nil }
      index &+= 1
      guard index < count else { return nil }
      var exponentNegative = false
      byte = base.load(fromByteOffset: index, as: UInt8.self)
      if byte == 0x2D || byte == 0x2B {
        exponentNegative = byte == 0x2D
        index &+= 1
      }
      let start = index
      while index < count {
        let digit = base.load(fromByteOffset: index, as: UInt8.self) &- 0x30
        guard digit < 10 else { return nil }
        // Past a billion the value is zero or infinite whatever the digits say; stop growing.
        if written < 1_000_000_000 { written = written &* 10 &+ Int(digit) }
        index &+= 1
      }
      guard index > start else { return nil }
      if exponentNegative { written = -written }
    }
    self.negative = negative
    self.truncated = false
    if significantDigits <= Self.maximumDigits {
      self.significand = significand
      self.exponent = written &- fractionDigits
    } else {
      (self.significand, self.exponent, self.truncated) = Self.readLong(base, digitsStart, mantissaEnd)
      self.exponent &+= written
    }
  }

  /// Whether all eight bytes of a little-endian word are ASCII digits.
  @inline(__always)
  private static func isEightDigits(_ word: UInt64) -> Bool {
    ((word &+ 0x4646_4646_4646_4646) | (word &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080 == 0
  }

  /// The value of eight ASCII digits in a little-endian word (first digit in the lowest byte):
  /// pairs, then quads, then the whole, in three multiplications.
  @inline(__always)
  private static func valueOfEightDigits(_ word: UInt64) -> UInt64 {
    let mask: UInt64 = 0x0000_00FF_0000_00FF
    let multiplier1: UInt64 = 100 &+ (1_000_000 &<< 32)
    let multiplier2: UInt64 = 1 &+ (10_000 &<< 32)
    var value = word &- 0x3030_3030_3030_3030
    value = (value &* 10) &+ (value &>> 8)
    return (((value & mask) &* multiplier1) &+ (((value &>> 16) & mask) &* multiplier2)) &>> 32
  }

  /// The first 19 significant digits of `base[start..<end]` (digits and at most one `.`), the
  /// power of ten they need, and whether a non-zero digit was dropped.
  private static func readLong(_ base: UnsafeRawPointer, _ start: Int, _ end: Int) -> (UInt64, Int, Bool) {
    var significand: UInt64 = 0
    var digits = 0
    var exponent = 0
    var truncated = false
    var sawPoint = false
    for index in start..<end {
      let digit = base.load(fromByteOffset: index, as: UInt8.self) &- 0x30
      guard digit < 10 else {
        sawPoint = true
        continue
      }
      if digits < maximumDigits {
        if significand != 0 || digit != 0 { digits &+= 1 }
        significand = significand &* 10 &+ UInt64(digit)
        if sawPoint { exponent &-= 1 }
      } else {
        if digit != 0 { truncated = true }
        if !sawPoint { exponent &+= 1 }
      }
    }
    return (significand, exponent, truncated)
  }
}
