/// Writes one row's bytes at a raw position, inside room an ``OutputBuffer`` reserved for it.
///
/// Appending field by field to the buffer checks for space and updates the buffer's count at every
/// piece (a CSV row has 14 fields and 13 commas); here the position stays in a register and the
/// only check is the reservation, once per row. Each method writes a bounded number of bytes
/// (stated on it), so a row's reservation is the sum of its fields' bounds.
struct RowWriter {
  /// Where the next byte goes.
  var cursor: UnsafeMutableRawPointer

  /// The widest number text: `Int.min` is 20 bytes; a double's shortest repr at most 24
  /// (`-2.2250738585072014e-308`). ``RepeatedNumber`` copies 32 bytes at once.
  static let numberRoom = 32

  /// One byte.
  @inline(__always)
  mutating func byte(_ value: UInt8) {
    // SAFETY: the caller reserved room for every byte this row writes (see ``OutputBuffer/writeRow``).
    cursor.storeBytes(of: value, as: UInt8.self)
    cursor += 1
  }

  /// The most bytes ``wide(_:count:)`` writes.
  static let wideRoom = 32

  /// The first `count` (at most ``wideRoom``) of 32 bytes, stored at once.
  @inline(__always)
  mutating func wide(_ text: (UInt64, UInt64, UInt64, UInt64), count: Int) {
    // SAFETY: the row's reservation counts ``wideRoom`` bytes for this field.
    cursor.storeBytes(of: text, as: (UInt64, UInt64, UInt64, UInt64).self)
    cursor += count
  }

  /// A short literal (its length counts against the reservation).
  @inline(__always)
  mutating func bytes(_ literal: StaticString) {
    // SAFETY: as in `byte`; the literal's bytes are static.
    cursor.copyMemory(from: literal.utf8Start, byteCount: literal.utf8CodeUnitCount)
    cursor += literal.utf8CodeUnitCount
  }

  /// An integer in decimal, at most 20 bytes.
  ///
  /// Below 10^8 (line and step numbers) the digits are made all at once in one word
  /// (``DecimalDigits/eight(_:)``); larger ones go two at a time, back to front.
  mutating func int(_ value: Int) {
    if value < 0 { byte(UInt8(ascii: "-")) }
    var rest = value.magnitude
    if rest < 10 {
      byte(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest))
      return
    }
    if rest < 100_000_000 {
      let count = DecimalDigits.count(UInt64(rest))
      // SAFETY: 8 bytes stored, inside the integer's 20 bytes of room; `count` of them are kept.
      DecimalDigits.write(UInt64(rest), count: count, at: cursor)
      cursor += count
      return
    }
    var digits = 1
    var probe = rest
    while probe >= 100 {
      digits &+= 2
      probe /= 100
    }
    if probe >= 10 { digits &+= 1 }
    var end = cursor + digits
    cursor = end
    // SAFETY: every store lands in the `digits` bytes just counted, inside the reservation.
    while rest >= 100 {
      let pair = rest % 100
      rest /= 100
      end -= 2
      Self.storePair(pair, at: end)
    }
    if rest >= 10 {
      Self.storePair(rest, at: end - 2)
    } else {
      (end - 1).storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest), as: UInt8.self)
    }
  }

  @inline(__always)
  private static func storePair(_ pair: UInt, at target: UnsafeMutableRawPointer) {
    target.storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: pair / 10), as: UInt8.self)
    target.storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: pair % 10), toByteOffset: 1, as: UInt8.self)
  }

  /// How a number column spells the values that are not finite.
  enum NonFinite {
    /// `nan`, `inf`, `-inf`: Python's `repr`, read back by pandas.
    case python
    /// `NaN`, `Infinity`, `-Infinity`: what Python's json module writes and reads.
    case json
  }

  /// A number as Python prints it (shortest round-trip digits, `nan`, `inf`, `-inf`), copied from
  /// `last` when it is the number written there before; at most ``numberRoom`` bytes.
  mutating func python(_ value: Double, reusing last: inout RepeatedNumber) {
    number(value, reusing: &last, nonFinite: .python)
  }

  /// A number as Python's json module writes it (`NaN`, `Infinity`, `-Infinity` when not
  /// finite), copied from `last` like ``python(_:reusing:)``; at most ``numberRoom`` bytes.
  mutating func json(_ value: Double, reusing last: inout RepeatedNumber) {
    number(value, reusing: &last, nonFinite: .json)
  }

  @inline(__always)
  private mutating func number(_ value: Double, reusing last: inout RepeatedNumber, nonFinite: NonFinite) {
    if let length = last.write(value, to: cursor) {
      cursor += length
      return
    }
    let start = cursor
    if value.isNaN {
      bytes(nonFinite == .python ? "nan" : "NaN")
    } else if value.isInfinite {
      switch nonFinite {
      case .python: bytes(value < 0 ? "-inf" : "inf")
      case .json: bytes(value < 0 ? "-Infinity" : "Infinity")
      }
    } else if !fewDecimals(value) {
      cursor += DoubleText.write(value, at: cursor)
    }
    if last.worthKeeping { last.keep(from: start, count: start.distance(to: cursor), for: value) }
  }

  /// Writes `value` and returns `true` when its shortest round-trip text has at most six
  /// decimals in fixed notation (`2.5648`, `0.01`, `12.0`: HF rounds loss to 4 digits and epoch
  /// to 2), else writes nothing and returns `false`.
  ///
  /// The standard library's shortest-digits search costs ~700 instructions a number; this costs
  /// about ten to reject one. With |v| < 1e9, |v| × 10^6 < 2^50, so the grid of six-decimal
  /// numbers is more than 4 ulps of v wide: at most one of them reads back as v, and the floating
  /// product |v| × 10^6 lies within 3/16 of the exact one, so rounding it finds that number, r.
  /// r / 10^6 == |v| is exactly the round-trip test (both operands exact, one correctly rounded
  /// division, as strtod does it). Any shorter text that reads back is the same number with
  /// fewer decimals, so r without its trailing zeros is the shortest: the digits `description`
  /// prints in its fixed range [1e-4, 1e16).
  @inline(__always)
  private mutating func fewDecimals(_ value: Double) -> Bool {
    let magnitude = value.magnitude
    guard magnitude >= 1e-4, magnitude < 1e9 else { return false }
    let product = magnitude * 1e6
    // The integer nearest to the product, found in floating point (adding and taking away 2^52
    // rounds any product below 2^52 to an integer): converting to an integer and back costs
    // more, and only the numbers that pass need the integer.
    let nearest = (product + 4_503_599_627_370_496) - 4_503_599_627_370_496
    // When r / 10^6 reads back as v, both v × 10^6 and its rounding are within r × 2^-53 of r,
    // so |product - r| < product × 2.3e-16: a value farther from an integer cannot pass, and
    // is turned away before the division, whose latency the rest of the row would wait for
    // (gradient norms and learning rates with 17 digits fail here). An exact half is turned
    // away too, so how the addition rounds halves does not matter.
    guard (product - nearest).magnitude <= product * 4.5e-16 else { return false }
    guard nearest / 1e6 == magnitude else { return false }
    var digits = UInt64(Int64(nearest))
    var decimals = 6
    var divisor: UInt64 = 1_000_000
    while decimals > 0, digits % 10 == 0 {
      digits /= 10
      decimals &-= 1
      divisor /= 10
    }
    if value < 0 { byte(UInt8(ascii: "-")) }
    int(Int(digits / divisor))
    byte(UInt8(ascii: "."))
    guard decimals > 0 else {
      byte(UInt8(ascii: "0"))
      return true
    }
    // The fraction with its leading zeros: exactly `decimals` digits (8 bytes stored, inside
    // the number's room).
    DecimalDigits.write(digits % divisor, count: decimals, at: cursor)
    cursor += decimals
    return true
  }
}
