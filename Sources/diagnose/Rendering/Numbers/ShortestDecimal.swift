/// The shortest decimal that reads back as a given double, and of those the closest to it (ties
/// to an even last digit): the digits `Double.description` and Python's `repr` print.
///
/// Why not the standard library: its `Float64ToASCII` costs ~570 instructions a number here (a
/// non-inlined 128-bit multiply, a stream wrapper), and a training log's learning rate and
/// gradient norm have 16–17 significant digits, so every row pays it twice.
///
/// The search is Giulietti's Schubfach ("The Schubfach way to render doubles", 2020): scale the
/// value and both ends of its rounding interval by one power of ten, chosen so that the interval
/// is between 1 and 10 units wide; then the shortest decimal is either the one multiple of ten
/// inside the interval or one of the two integers around the value. Three 64×128-bit products
/// with round-to-odd keep every comparison with an integer exact.
struct ShortestDecimal: Equatable {
  /// The significant digits, without trailing zeros (`0` only for a zero).
  var digits: UInt64
  /// The value is `digits × 10^exponent`.
  var exponent: Int

  init(digits: UInt64, exponent: Int) {
    self.digits = digits
    self.exponent = exponent
  }

  /// The shortest decimal of `value`'s magnitude; `value` must be finite.
  @inline(__always)
  init(_ value: Double) {
    let bits = value.bitPattern
    let fraction = bits & ((1 << 52) - 1)
    let biased = Int(truncatingIfNeeded: (bits >> 52) & 0x7FF)
    guard biased != 0 || fraction != 0 else {
      self.init(digits: 0, exponent: 0)
      return
    }
    // value = c × 2^q with c an integer; subnormals have no hidden bit.
    let c = biased == 0 ? fraction : fraction | (1 << 52)
    let q = biased == 0 ? -1074 : biased &- 1075
    // The interval's lower half is half as wide when c is a power of two above the smallest
    // normal exponent: the double below is closer.
    let regular = fraction != 0 || biased <= 1
    self = Self.search(c: c, q: q, regular: regular)
  }

  /// Significant decimal digits of `digits` (nonzero).
  var digitCount: Int { DecimalDigits.count(digits) }

  /// The decimal for c × 2^q.
  ///
  /// Quantities are in units of 2^(q-2) before scaling: `cb` is the value, `cbl` and `cbr` the
  /// ends of its rounding interval, which includes its ends when c is even (ties read back to
  /// the even significand).
  @inline(__always)
  private static func search(c: UInt64, q: Int, regular: Bool) -> ShortestDecimal {
    let out: UInt64 = c & 1
    let cb = c << 2
    let cbr = cb &+ 2
    let cbl: UInt64
    let k: Int
    // ⌊log10 2^q⌋ and ⌊log10 (3/4 × 2^q)⌋ by multiply and shift, exact for every q of a double.
    if regular {
      cbl = cb &- 2
      k = (q &* 661_971_961_083) &>> 41
    } else {
      cbl = cb &- 1
      k = (q &* 661_971_961_083 &- 274_743_187_321) &>> 41
    }
    // 10^-k = g × 2^(⌊log2 10^-k⌋ - 125): shifting by h makes the products below come out in
    // units of 10^k / 4, so that quarters are exact.
    let h = q &+ ((0 &- k &* 1_741_647) &>> 19) &+ 2
    let index = (k &- minimumScale) &* 2
    let g1 = powers[index]
    let g0 = powers[index &+ 1]
    let vb = roundToOdd(g1, g0, cb &<< h)
    let vbl = roundToOdd(g1, g0, cbl &<< h)
    let vbr = roundToOdd(g1, g0, cbr &<< h)
    let s = vb >> 2
    // The interval is under 10 units wide: at most one multiple of ten lies inside, and when one
    // does it is the only decimal with fewer digits.
    let sp10 = s / 10 &* 10
    let tp10 = sp10 &+ 10
    let lowerInside = vbl &+ out <= sp10 << 2
    let upperInside = (tp10 << 2) &+ out <= vbr
    if lowerInside != upperInside { return withoutTrailingZeros(lowerInside ? sp10 : tp10, k) }
    let t = s &+ 1
    let sInside = vbl &+ out <= s << 2
    let tInside = (t << 2) &+ out <= vbr
    // From here on the digits end in no zero: a multiple of ten inside was found above.
    if sInside != tInside { return ShortestDecimal(digits: sInside ? s : t, exponent: k) }
    // Both read back: the closer one, the even one on a tie.
    let distance = Int64(bitPattern: vb &- ((s &+ t) << 1))
    return ShortestDecimal(digits: distance < 0 || (distance == 0 && s & 1 == 0) ? s : t, exponent: k)
  }

  /// `digits × 10^exponent` with the zeros at the end of `digits` moved into the exponent.
  private static func withoutTrailingZeros(_ digits: UInt64, _ exponent: Int) -> ShortestDecimal {
    var digits = digits
    var exponent = exponent
    if digits % 100_000_000 == 0 {
      digits /= 100_000_000
      exponent &+= 8
    }
    while digits % 10 == 0 {
      digits /= 10
      exponent &+= 1
    }
    return ShortestDecimal(digits: digits, exponent: exponent)
  }

  /// ⌊g × cp / 2^127⌋ with its lowest bit set when bits 64–126 of the product are not all zero
  /// (round to odd), where g = g1 × 2^64 + g0.
  ///
  /// The bits below 64 are left out, as in Schubfach: g is a little above the exact scale, and
  /// that excess stays below bit 64.
  @inline(__always)
  private static func roundToOdd(_ g1: UInt64, _ g0: UInt64, _ cp: UInt64) -> UInt64 {
    let high = g1.multipliedFullWidth(by: cp)
    let carried = g0.multipliedFullWidth(by: cp).high
    let (middle, carry) = high.low.addingReportingOverflow(carried)
    let top = high.high &+ (carry ? 1 : 0)
    return (top << 1) | (middle >> 63) | (middle << 1 != 0 ? 1 : 0)
  }
}
