/// The Eisel-Lemire algorithm: the double nearest to `w × 10^q`, from one or two 64×128-bit
/// multiplications by a table of powers of five (Lemire, "Number Parsing at a Gigabyte per
/// Second", Software: Practice and Experience 51(8), 2021).
///
/// It returns `nil` in the rare cases where the truncated product cannot decide the rounding;
/// the caller then asks `strtod`. performance.md item 2: strtod costs ~1,000 instructions on a
/// 17-digit Python repr; this a few dozen.
enum EiselLemire {
  private static let mantissaBits = 52
  private static let minimumExponent = -1023
  private static let infiniteExponent = 0x7FF

  /// The bit pattern of the double nearest to `w × 10^q` (ties to even), or `nil` when undecided.
  ///
  /// `w` is the decimal significand without its sign (any value that fits, leading digits kept).
  static func bits(_ w: UInt64, _ q: Int) -> UInt64? {
    if w == 0 || q < PowersOfFive.lowestExponent { return 0 }
    if q > PowersOfFive.highestExponent { return UInt64(infiniteExponent) << mantissaBits }
    let leadingZeros = w.leadingZeroBitCount
    let normalized = w &<< UInt64(leadingZeros)
    let index = 2 &* (q &- PowersOfFive.lowestExponent)
    // SAFETY of the table reads: q is within the table's range here, so index + 1 < words.count.
    var (high, low) = normalized.multipliedFullWidth(by: PowersOfFive.words[index])
    // Only the top 55 bits matter; when the bits below them are all ones, a carry from the
    // second word could still change them.
    let precisionMask = UInt64.max &>> UInt64(mantissaBits &+ 3)
    if high & precisionMask == precisionMask {
      let (secondHigh, _) = normalized.multipliedFullWidth(by: PowersOfFive.words[index &+ 1])
      let (sum, carry) = low.addingReportingOverflow(secondHigh)
      low = sum
      if carry { high &+= 1 }
    }
    // All ones below the kept bits: outside the exponents where the table is exact, the
    // approximation may be off by one there.
    if low == UInt64.max, q < -27 || q > 55 { return nil }
    let upperBit = Int(high &>> 63)
    var mantissa = high &>> UInt64(upperBit &+ 64 &- mantissaBits &- 3)
    // floor(log2(10^q)) + 63, valid for |q| < 2^16 / log2(10)'s range of interest.
    let power = ((152_170 &+ 65_536) &* q) &>> 16 &+ 63
    var power2 = power &+ upperBit &- leadingZeros &- minimumExponent
    if power2 <= 0 {
      // A subnormal: shift into place and round. No exact ties are possible this low (a tie
      // would need more than 64 bits of significand), so rounding up on the half bit is exact.
      if -power2 &+ 1 >= 64 { return 0 }
      mantissa &>>= UInt64(-power2 &+ 1)
      mantissa &+= mantissa & 1
      mantissa &>>= 1
      power2 = mantissa < (1 << mantissaBits) ? 0 : 1
      return UInt64(power2) << mantissaBits | mantissa & ((1 << mantissaBits) &- 1)
    }
    // An exact tie between two doubles: w × 10^q has its half bit set and nothing below it.
    // Exact products occur only for small |q|; then round to even rather than up.
    if low <= 1, q >= -4, q <= 23, mantissa & 3 == 1,
      mantissa &<< UInt64(upperBit &+ 64 &- mantissaBits &- 3) == high
    {
      mantissa &= ~1
    }
    mantissa &+= mantissa & 1
    mantissa &>>= 1
    if mantissa >= (2 << mantissaBits) {
      mantissa = 1 << mantissaBits
      power2 &+= 1
    }
    mantissa &= ~(1 << mantissaBits)
    if power2 >= infiniteExponent { return UInt64(infiniteExponent) << mantissaBits }
    return UInt64(power2) << mantissaBits | mantissa
  }
}
