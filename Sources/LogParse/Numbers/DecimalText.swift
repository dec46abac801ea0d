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

  private init(negative: Bool, significand: UInt64, exponent: Int, truncated: Bool) {
    self.negative = negative
    self.significand = significand
    self.exponent = exponent
    self.truncated = truncated
  }

  /// Reads all of `count` bytes at `base`, or returns `nil` when they are not one plain decimal.
  ///
  /// - Complexity: O(n); no allocation.
  @inline(__always)
  init?(_ base: UnsafeRawPointer, _ count: Int) {
    guard let (decimal, end) = Self.prefix(base, count), end == count else { return nil }
    self = decimal
  }

  /// Reads the longest plain decimal at the start of the `limit` bytes at `base` (`limit > 0`),
  /// and where it ends; `nil` when they do not start with one.
  ///
  /// A reader that knows what may follow a number parses it in place this way, without finding
  /// its end first; the bytes up to `end` then read exactly as ``init(_:_:)`` reads them alone.
  /// An `e` not followed by an exponent ends the number before the `e`.
  ///
  /// The common case (at most 19 digits) is one tight loop per digit run, in locals; longer
  /// mantissas are read again by ``readLong(_:_:_:)``.
  @inline(__always)
  static func prefix(_ base: UnsafeRawPointer, _ limit: Int) -> (DecimalText, end: Int)? {
    let count = limit
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
      if index &+ 8 <= count {
        // The last 0 to 7 digits in one step: those before the word's first non-digit.
        // SAFETY: index + 8 <= count, so the word lies inside the bytes given.
        let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        let length = Self.leadingDigits(word)
        if length > 0 {
          significand = significand &* Self.powerOfTen(length) &+ Self.valueOfDigits(word, length)
          index &+= length
        }
      } else {
        while index < count {
          let digit = base.load(fromByteOffset: index, as: UInt8.self) &- 0x30
          guard digit < 10 else { break }
          significand = significand &* 10 &+ UInt64(digit)
          index &+= 1
        }
      }
      fractionDigits = index &- fractionStart
      significantDigits &+= index &- fractionSignificantStart
    }
    guard integerDigits | fractionDigits != 0 else { return nil }
    let mantissaEnd = index
    var written = 0
    if index < count, base.load(fromByteOffset: index, as: UInt8.self) | 0x20 == 0x65 {
      var cursor = index &+ 1
      var exponentNegative = false
      if cursor < count {
        byte = base.load(fromByteOffset: cursor, as: UInt8.self)
        if byte == 0x2D || byte == 0x2B {
          exponentNegative = byte == 0x2D
          cursor &+= 1
        }
      }
      let start = cursor
      while cursor < count {
        let digit = base.load(fromByteOffset: cursor, as: UInt8.self) &- 0x30
        guard digit < 10 else { break }
        // Past a billion the value is zero or infinite whatever the digits say; stop growing.
        if written < 1_000_000_000 { written = written &* 10 &+ Int(digit) }
        cursor &+= 1
      }
      // No digit after the `e` (and its sign): the number ends before the `e`, `written` is 0.
      if cursor > start {
        index = cursor
        if exponentNegative { written = -written }
      }
    }
    var decimal = DecimalText(negative: negative, significand: significand, exponent: 0, truncated: false)
    if significantDigits <= Self.maximumDigits {
      decimal.exponent = written &- fractionDigits
    } else {
      (decimal.significand, decimal.exponent, decimal.truncated) = Self.readLong(base, digitsStart, mantissaEnd)
      decimal.exponent &+= written
    }
    return (decimal, index)
  }

  /// Whether all eight bytes of a little-endian word are ASCII digits.
  @inline(__always)
  private static func isEightDigits(_ word: UInt64) -> Bool {
    ((word &+ 0x4646_4646_4646_4646) | (word &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080 == 0
  }

  /// How many ASCII digits a little-endian word starts with (8 when all are).
  ///
  /// A byte's top bit is set in the mask when it is below `0` or above `9`. Carries and borrows
  /// only move towards higher bytes, and the bytes below the first non-digit are digits, which
  /// cause none: the lowest flagged byte is the first non-digit.
  @inline(__always)
  private static func leadingDigits(_ word: UInt64) -> Int {
    let nonDigits = ((word &+ 0x4646_4646_4646_4646) | (word &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080
    return nonDigits.trailingZeroBitCount &>> 3
  }

  /// The value of eight ASCII digits in a little-endian word (first digit in the lowest byte):
  /// pairs, then quads, then the whole, in three multiplications.
  @inline(__always)
  private static func valueOfEightDigits(_ word: UInt64) -> UInt64 {
    combine(word &- 0x3030_3030_3030_3030)
  }

  /// The value of the first `length` (1 to 7) ASCII digits of a little-endian word: shifted to the
  /// top, the emptied low bytes read as leading zeros. The bytes after the digits may hold
  /// anything; a borrow from them only reaches higher bytes, which the shift drops.
  @inline(__always)
  private static func valueOfDigits(_ word: UInt64, _ length: Int) -> UInt64 {
    combine((word &- 0x3030_3030_3030_3030) &<< UInt64(64 &- 8 &* length))
  }

  /// Eight digit values (0...9, one a byte, first in the lowest) as one number.
  @inline(__always)
  private static func combine(_ digits: UInt64) -> UInt64 {
    let mask: UInt64 = 0x0000_00FF_0000_00FF
    let multiplier1: UInt64 = 100 &+ (1_000_000 &<< 32)
    let multiplier2: UInt64 = 1 &+ (10_000 &<< 32)
    let value = (digits &* 10) &+ (digits &>> 8)
    return (((value & mask) &* multiplier1) &+ (((value &>> 16) & mask) &* multiplier2)) &>> 32
  }

  /// 10^length for 0 through 7.
  @inline(__always)
  private static func powerOfTen(_ length: Int) -> UInt64 {
    // From the bits of `length`: no table to load, and the compiler makes the steps selects.
    var power: UInt64 = 1
    if length & 1 != 0 { power = 10 }
    if length & 2 != 0 { power &*= 100 }
    if length & 4 != 0 { power &*= 10_000 }
    return power
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
