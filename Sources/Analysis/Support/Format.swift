/// Short number formatting for messages (no Foundation).
enum Format {
  /// Up to 4 significant digits, like Python's `.4g`, or scientific for very large/small values.
  static func number(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    let magnitude = abs(value)
    if magnitude != 0, magnitude < 1e-3 || magnitude >= 1e6 {
      var exponent = 0
      var mantissa = magnitude
      while mantissa >= 10 {
        mantissa /= 10
        exponent += 1
      }
      while mantissa < 1 {
        mantissa *= 10
        exponent -= 1
      }
      return (value < 0 ? "-" : "") + fixed(mantissa, 2) + "e" + (exponent < 0 ? "-" : "+") + String(abs(exponent))
    }
    let decimals = magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : magnitude >= 1 ? 3 : 4
    return fixed(value, decimals)
  }

  /// `value` with exactly `decimals` decimals, rounded half away from zero.
  static func fixed(_ value: Double, _ decimals: Int) -> String {
    if !value.isFinite { return number(value) }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e15 else { return String(value) }
    let integer = Int(scaled)
    let whole = integer / Int(scale)
    let fraction = integer % Int(scale)
    var text = (value < 0 && integer != 0 ? "-" : "") + String(whole)
    if decimals > 0 {
      let digits = String(fraction)
      text += "." + String(repeating: "0", count: decimals - digits.count) + digits
    }
    return text
  }

  /// `2.3×` style ratio.
  static func ratio(_ value: Double) -> String { fixed(value, value >= 10 ? 0 : 1) + "×" }

  static func percent(_ share: Double) -> String { fixed(share * 100, 1) + " %" }
}
