/// Short number formatting for messages.
enum Format {
  /// Up to 4 significant digits, like Python's `.4g`; scientific with a short exponent for very
  /// large or small values (`1e-4`, `2.5e+6` as `2.5e6`).
  static func number(_ value: Double) -> String {
    ShortNumber.format(value, significantDigits: 4)
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
