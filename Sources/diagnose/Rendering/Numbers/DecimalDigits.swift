/// Decimal digits of integers, written without a loop per digit.
enum DecimalDigits {
  /// 10^0 through 10^19.
  static let powersOfTen: [UInt64] = [
    1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
    100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
    10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
  ]

  /// The number of decimal digits of `value` (nonzero): ⌊log10⌋ estimated from the bit length
  /// (1233 / 4096 is just below log10 2), then corrected by one comparison.
  @inline(__always)
  static func count(_ value: UInt64) -> Int {
    let estimate = ((64 &- value.leadingZeroBitCount) &* 1233) &>> 12
    return estimate &+ (value >= powersOfTen[estimate] ? 1 : 0)
  }

  /// Exactly `count` digits of `value` (leading zeros included; `count` from 1 to 17), eight at
  /// a time. Stores 8 bytes at each step: `start` must have room for `count + 7` bytes, of which
  /// the ones past the digits are overwritten with junk.
  @inline(__always)
  static func write(_ value: UInt64, count: Int, at start: UnsafeMutableRawPointer) {
    // SAFETY (every store): inside the `count + 7` bytes the caller guarantees at `start`.
    if count <= 8 {
      start.storeBytes(of: eight(UInt32(truncatingIfNeeded: value)) &>> (64 &- 8 &* count), as: UInt64.self)
      return
    }
    var cursor = start
    var rest = value
    if count > 16 {
      let top = rest / 10_000_000_000_000_000
      rest -= top &* 10_000_000_000_000_000
      cursor.storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: top), as: UInt8.self)
      cursor += 1
    }
    let high = rest / 100_000_000
    let low = rest &- high &* 100_000_000
    let highCount = min(count, 16) &- 8
    cursor.storeBytes(of: eight(UInt32(truncatingIfNeeded: high)) &>> (64 &- 8 &* highCount), as: UInt64.self)
    (cursor + highCount).storeBytes(of: eight(UInt32(truncatingIfNeeded: low)), as: UInt64.self)
  }

  /// The eight ASCII digits of `value` (below 10^8, with leading zeros), first digit in the
  /// lowest byte: each step splits every lane of the word in two at once (4+4, 2+2, 1+1 digits),
  /// dividing by multiply and shift with constants exact for the lanes' ranges.
  @inline(__always)
  static func eight(_ value: UInt32) -> UInt64 {
    let upper = value / 10_000
    let quads = UInt64(upper) | (UInt64(value &- upper &* 10_000) << 32)
    // Lanes below 10^4: x / 100 == (x × 5243) >> 19.
    let hundreds = ((quads &* 5243) >> 19) & 0x0000_007F_0000_007F
    let pairs = hundreds | ((quads &- hundreds &* 100) << 16)
    // Lanes below 100: x / 10 == (x × 103) >> 10.
    let tens = ((pairs &* 103) >> 10) & 0x000F_000F_000F_000F
    let digits = tens | ((pairs &- tens &* 10) << 8)
    return digits &+ 0x3030_3030_3030_3030
  }
}
