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

  /// `text` as a JSON string literal, escaped byte by byte: a report quotes tens of thousands of
  /// messages, and walking them as Unicode scalars cost ~90 instructions a character.
  static func string(_ text: String) -> String {
    let utf8 = text.utf8
    guard utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
      return "\"" + text + "\""
    }
    var bytes: [UInt8] = [UInt8(ascii: "\"")]
    bytes.reserveCapacity(utf8.count + 8)
    for byte in utf8 {
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), byte]
      case UInt8(ascii: "\n"): bytes += Array("\\n".utf8)
      case UInt8(ascii: "\r"): bytes += Array("\\r".utf8)
      case UInt8(ascii: "\t"): bytes += Array("\\t".utf8)
      case ..<0x20:
        let hex = String(byte, radix: 16)
        bytes += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
    return String(decoding: bytes, as: UTF8.self)
  }
}
