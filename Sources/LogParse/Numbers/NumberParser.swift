#if canImport(Glibc)
  internal import Glibc
#endif

/// Reads the numbers training logs print: Python float reprs (`5e-05`, `1.2055455093429777e-07`),
/// ints, `nan`, `inf`, `-inf`, JSON's `NaN`/`Infinity`, Megatron's `2.999E-04`, and thousands
/// separators where asked.
///
/// Parsing is exact: the value is the one `strtod` gives for the same text.
public enum NumberParser {
  /// Parses all of `bytes` as one number, or returns `nil` when it is not one.
  ///
  /// Three tiers, each exact: Clinger's fast path, then Eisel-Lemire, then `strtod` for what
  /// neither decides (ties hidden beyond the 19th digit, the rare undecided product).
  public static func parseDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
    let count = bytes.count
    guard count > 0, let base = bytes.baseAddress else { return nil }
    if let decimal = DecimalText(base, count), let fast = fast(decimal) { return fast }
    return slowDouble(bytes)
  }

  /// The plain decimal that starts the `limit` bytes at `base` and where it ends, or `nil` when
  /// they do not start with one (`nan`, `None`, a letter, nothing).
  ///
  /// For readers that know what must follow a number: they parse it in place instead of finding
  /// its end first. The value is the one ``parseDouble(_:)`` gives for the bytes up to `end`.
  @inline(__always)
  static func parseDecimalPrefix(_ base: UnsafeRawPointer, _ limit: Int) -> (value: Double, end: Int)? {
    guard limit > 0, let (decimal, end) = DecimalText.prefix(base, limit) else { return nil }
    if let value = fast(decimal) { return (value, end) }
    guard let value = slowDouble(UnsafeRawBufferPointer(start: base, count: end)) else { return nil }
    return (value, end)
  }

  /// The value when Clinger or Eisel-Lemire decides it, else `nil` (for tests: how often the
  /// fast tiers decide, and that they agree with strtod on their own).
  static func fastDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
    guard let base = bytes.baseAddress, !bytes.isEmpty, let decimal = DecimalText(base, bytes.count) else {
      return nil
    }
    return fast(decimal)
  }

  /// The value of `decimal` by Clinger or Eisel-Lemire, or `nil` when only `strtod` can tell.
  @inline(__always)
  private static func fast(_ decimal: DecimalText) -> Double? {
    let sign: UInt64 = decimal.negative ? 1 << 63 : 0
    if !decimal.truncated {
      if let value = clinger(decimal.significand, decimal.exponent) {
        return decimal.negative ? -value : value
      }
      return EiselLemire.bits(decimal.significand, decimal.exponent).map { Double(bitPattern: $0 | sign) }
    }
    // The true value lies strictly between w and w + 1 (times 10^q): if both round to the same
    // double, so does everything between them.
    guard let below = EiselLemire.bits(decimal.significand, decimal.exponent),
      let above = EiselLemire.bits(decimal.significand &+ 1, decimal.exponent), below == above
    else { return nil }
    return Double(bitPattern: below | sign)
  }

  /// nan/inf spellings, then `strtod` for decimals the fast tiers could not decide.
  private static func slowDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
    let count = bytes.count
    guard let base = bytes.baseAddress else { return nil }
    if let special = special(bytes) { return special }
    // Only digits, signs, '.', 'e'/'E' may appear; strtod would also take hex and "infinity".
    for index in 0..<count {
      switch base.load(fromByteOffset: index, as: UInt8.self) {
      case 0x30...0x39, 0x2B, 0x2D, 0x2E, 0x45, 0x65: continue
      default: return nil
      }
    }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { text -> Double? in
      // SAFETY: `text` has count + 1 slots; we copy `count` bytes and terminate with NUL.
      text.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: count + 1) { target in
        target.initialize(from: base.assumingMemoryBound(to: UInt8.self), count: count)
        target[count] = 0
      }
      var end: UnsafeMutablePointer<CChar>?
      let value = strtod(text.baseAddress!, &end)
      guard let end, text.baseAddress!.distance(to: end) == count else { return nil }
      return value
    }
  }

  /// Parses a base-10 integer with optional sign and `,` thousands separators.
  public static func parseInt(_ bytes: UnsafeRawBufferPointer) -> Int? {
    var value = 0
    var sawDigit = false
    var negative = false
    for (index, byte) in bytes.enumerated() {
      switch byte {
      case 0x30...0x39:
        let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = product.addingReportingOverflow(Int(byte - 0x30))
        if overflow1 || overflow2 { return nil }
        value = sum
        sawDigit = true
      case 0x2C where sawDigit: continue
      case 0x2D where index == 0: negative = true
      case 0x2B where index == 0: continue
      default: return nil
      }
    }
    guard sawDigit else { return nil }
    return negative ? -value : value
  }

  /// Exact powers of ten: every one up to 1e22 is representable in a double. A literal, so that
  /// the array is laid out at compile time (computed, every read paid a `swift_once` check).
  private static let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
  ]

  /// Clinger's fast path: a significand of at most 53 bits times a power of ten of at most 22 is
  /// one exact multiplication or division away, with the same result as strtod (both operands are
  /// exact, and IEEE rounds the one operation correctly).
  @inline(__always)
  private static func clinger(_ significand: UInt64, _ exponent: Int) -> Double? {
    guard significand <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
    let value = Double(significand)
    return exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
  }

  private static func special(_ bytes: UnsafeRawBufferPointer) -> Double? {
    switch bytes.count {
    case 3:
      if matches(bytes, "nan") || matches(bytes, "NaN") { return .nan }
      if matches(bytes, "inf") { return .infinity }
    case 4:
      if matches(bytes, "-inf") { return -.infinity }
      if matches(bytes, "+inf") { return .infinity }
      if matches(bytes, "-nan") { return .nan }
    case 8:
      if matches(bytes, "Infinity") { return .infinity }
    case 9:
      if matches(bytes, "-Infinity") { return -.infinity }
    default: break
    }
    return nil
  }

  private static func matches(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
    guard bytes.count == literal.utf8CodeUnitCount else { return false }
    let pointer = literal.utf8Start
    for index in 0..<bytes.count where bytes[index] != pointer[index] { return false }
    return true
  }
}
