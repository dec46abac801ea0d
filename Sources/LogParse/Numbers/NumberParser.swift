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
  public static func parseDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
    let count = bytes.count
    guard count > 0, let base = bytes.baseAddress else { return nil }
    if let fast = clinger(base, count) { return fast }
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

  /// Exact powers of ten: every one up to 1e22 is representable in a double.
  private static let powersOfTen: [Double] = (0...22).map { exponent in
    var value = 1.0
    for _ in 0..<exponent { value *= 10 }
    return value
  }

  /// Clinger's fast path: a decimal with at most 19 digits whose mantissa fits in 53 bits and whose
  /// power of ten is at most 22 is one exact multiplication or division away, with the same result
  /// as strtod (both operands are exact, and IEEE rounds the one operation correctly). Anything
  /// else returns `nil` and goes to strtod. performance.md item 2: strtod costs ~1,000
  /// instructions per 17-digit repr; this path a few dozen.
  private static func clinger(_ base: UnsafeRawPointer, _ count: Int) -> Double? {
    var index = 0
    var negative = false
    var byte = base.load(as: UInt8.self)
    if byte == 0x2D || byte == 0x2B {
      negative = byte == 0x2D
      index = 1
    }
    var mantissa: UInt64 = 0
    var digits = 0
    var exponent = 0
    var sawDigit = false
    var sawPoint = false
    while index < count {
      byte = base.load(fromByteOffset: index, as: UInt8.self)
      if byte &- 0x30 < 10 {
        sawDigit = true
        if mantissa != 0 || byte != 0x30 { digits &+= 1 }
        if digits > 19 { return nil }
        mantissa = mantissa &* 10 &+ UInt64(byte &- 0x30)
        if sawPoint { exponent &-= 1 }
      } else if byte == 0x2E, !sawPoint {
        sawPoint = true
      } else {
        break
      }
      index &+= 1
    }
    guard sawDigit else { return nil }
    if index < count {
      // An exponent: e or E, optional sign, 1 to 3 digits, then the end.
      guard byte == 0x65 || byte == 0x45 else { return nil }
      index &+= 1
      guard index < count else { return nil }
      var exponentNegative = false
      byte = base.load(fromByteOffset: index, as: UInt8.self)
      if byte == 0x2D || byte == 0x2B {
        exponentNegative = byte == 0x2D
        index &+= 1
      }
      var written = 0
      var exponentDigits = 0
      while index < count {
        byte = base.load(fromByteOffset: index, as: UInt8.self)
        guard byte &- 0x30 < 10, exponentDigits < 4 else { return nil }
        written = written &* 10 &+ Int(byte &- 0x30)
        exponentDigits &+= 1
        index &+= 1
      }
      guard exponentDigits > 0 else { return nil }
      exponent &+= exponentNegative ? -written : written
    }
    guard mantissa <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
    var value = Double(mantissa)
    if exponent < 0 {
      value /= powersOfTen[-exponent]
    } else {
      value *= powersOfTen[exponent]
    }
    return negative ? -value : value
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
