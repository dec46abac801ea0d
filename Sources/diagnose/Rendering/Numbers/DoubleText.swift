/// A finite double's text exactly as `Double.description` spells it, written at a raw position
/// without making a `String`.
///
/// The digits are ``ShortestDecimal``'s. The layout is the standard library's: fixed notation
/// from 1e-4 up to 2^53 (`0.0001`, `12.5`, `100.0`, `9007199254740992.0`), else one digit, the
/// rest after a point, and a signed exponent of at least two digits (`1e-05`, `9.5e+15`,
/// `5e-324`). Python's `repr` agrees except between 2^53 and 1e16, where the output keeps
/// Swift's spelling (the CSV has always been written with it).
enum DoubleText {
  /// The longest text: `-2.2250738585072014e-308`.
  static let maximumLength = 24

  /// The largest magnitude written in fixed notation.
  private static let largestFixed: Double = 9_007_199_254_740_992


  /// Writes `value`'s text at `start` and returns its length.
  ///
  /// `value` must be finite. Stores may reach up to 32 bytes past `start` (zeros are written
  /// 16 at a time): `start` must have room for 32.
  static func write(_ value: Double, at start: UnsafeMutableRawPointer) -> Int {
    var cursor = start
    if value.sign == .minus {
      // SAFETY (every store below): inside the 32 bytes the caller guarantees at `start`.
      cursor.storeBytes(of: UInt8(ascii: "-"), as: UInt8.self)
      cursor += 1
    }
    let decimal = ShortestDecimal(value)
    guard decimal.digits != 0 else {
      cursor.storeBytes(of: 0x302E30, as: UInt32.self)  // "0.0"
      return start.distance(to: cursor + 3)
    }
    let count = decimal.digitCount
    let scientific = decimal.exponent &+ count &- 1
    if scientific >= -4, value.magnitude <= largestFixed {
      cursor = writeFixed(decimal.digits, count: count, scientific: scientific, at: cursor)
    } else {
      cursor = writeExponential(decimal.digits, count: count, scientific: scientific, at: cursor)
    }
    return start.distance(to: cursor)
  }

  /// `digits` with a point after digit `scientific + 1` (zeros added on either side as needed).
  @inline(__always)
  private static func writeFixed(_ digits: UInt64, count: Int, scientific: Int, at start: UnsafeMutableRawPointer)
    -> UnsafeMutableRawPointer
  {
    var cursor = start
    if scientific < 0 {
      // "0." and up to three zeros, then every digit.
      cursor.storeBytes(of: 0x3030_3030_2E30 as UInt64, as: UInt64.self)
      cursor += 1 &- scientific
      DecimalDigits.write(digits, count: count, at: cursor)
      return cursor + count
    }
    let fractionCount = count &- 1 &- scientific
    if fractionCount <= 0 {
      // An integer: its digits, the zeros that follow them (at most 15 below 2^53), ".0".
      DecimalDigits.write(digits, count: count, at: cursor)
      cursor += count
      if fractionCount < 0 {
        cursor.storeBytes(of: zeros, as: (UInt64, UInt64).self)
        cursor -= fractionCount
      }
      cursor.storeBytes(of: 0x302E, as: UInt16.self)
      return cursor + 2
    }
    // Every digit one byte to the right, then the integer digits (1 to 16, usually 1) one byte
    // back to make room for the point: no division to split the digits.
    DecimalDigits.write(digits, count: count, at: cursor + 1)
    let integerCount = scientific &+ 1
    for index in 0..<integerCount {
      cursor.storeBytes(of: cursor.load(fromByteOffset: index &+ 1, as: UInt8.self), toByteOffset: index, as: UInt8.self)
    }
    cursor.storeBytes(of: UInt8(ascii: "."), toByteOffset: integerCount, as: UInt8.self)
    return cursor + (count &+ 1)
  }

  /// `d.ddde+XX`: one digit, the others after a point (none for a single digit), the exponent.
  @inline(__always)
  private static func writeExponential(
    _ digits: UInt64, count: Int, scientific: Int, at start: UnsafeMutableRawPointer
  ) -> UnsafeMutableRawPointer {
    var cursor = start
    // Every digit one byte to the right, then the first one back in front of the point.
    DecimalDigits.write(digits, count: count, at: cursor + 1)
    cursor.storeBytes(of: cursor.load(fromByteOffset: 1, as: UInt8.self), as: UInt8.self)
    cursor += 1
    if count > 1 {
      cursor.storeBytes(of: UInt8(ascii: "."), as: UInt8.self)
      cursor += count
    }
    cursor.storeBytes(of: UInt8(ascii: "e"), as: UInt8.self)
    cursor.storeBytes(of: scientific < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"), toByteOffset: 1, as: UInt8.self)
    cursor += 2
    let magnitude = UInt64(scientific.magnitude)
    let width = magnitude >= 100 ? 3 : 2
    DecimalDigits.write(magnitude, count: width, at: cursor)
    return cursor + width
  }

  /// Sixteen ASCII zeros.
  private static let zeros: (UInt64, UInt64) = (0x3030_3030_3030_3030, 0x3030_3030_3030_3030)
}
