/// JSON text pieces, written the way Python's json module writes them (`NaN`, `Infinity`).
enum JSONText {
  static func append(_ value: Double?, to output: inout OutputBuffer) {
    guard let value else {
      output.append("null" as StaticString)
      return
    }
    if value.isFinite {
      output.append(shortest: value)
    } else {
      output.append(number(value))
    }
  }

  static func number(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
    return value.description
  }

  static func string(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}
