/// A small JSON reader for config files and config blocks printed in logs.
///
/// Besides strict JSON it accepts what Python's `json.dumps` writes (`NaN`, `Infinity`, `-Infinity`),
/// what DeepSpeed's `ScientificNotationEncoder` writes for non-finite numbers (`f"{o:e}"`: `inf`,
/// `nan`; DeepSpeed 0.19 prints `"steps_per_print": inf`) and trailing whitespace after commas
/// (old DeepSpeed's `", "`). Errors name the line.
///
/// - Complexity: O(n) in the text's length; nesting is limited to ``maxDepth``.
struct JSONReader: ~Copyable {
  /// Deeper nesting is refused rather than risking the stack (see ``LenientJSONReader``'s limit;
  /// this reader's frames are larger). DeepSpeed configs nest 4 deep.
  static let maxDepth = 100
  private let bytes: UnsafeRawBufferPointer
  private var index = 0
  private var line = 1

  private init(_ bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
  }

  /// Reads `bytes` as one JSON value (a UTF-8 byte order mark is skipped).
  static func read(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> OrderedJSONValue {
    var reader = JSONReader(bytes)
    if ByteText.hasPrefix(bytes, "\u{FEFF}") { reader.index = 3 }
    let value = try reader.value(depth: 0)
    reader.skipSpace()
    if reader.index < bytes.count { throw reader.error("unexpected text after the JSON value") }
    return value
  }

  private func error(_ message: String) -> JSONSyntaxError {
    JSONSyntaxError(message: message, line: line, offset: index)
  }

  private mutating func skipSpace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x0A: line += 1
      case 0x20, 0x09, 0x0D: break
      default: return
      }
      index += 1
    }
  }

  private mutating func value(depth: Int) throws(JSONSyntaxError) -> OrderedJSONValue {
    guard depth < Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth)") }
    skipSpace()
    guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try object(depth: depth)
    case UInt8(ascii: "["): return try array(depth: depth)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"):
      if ByteText.hasPrefix(bytes, "nan", at: index) { return try literal("nan", .double(.nan)) }
      return try literal("null", .null)
    case UInt8(ascii: "i"): return try literal("inf", .double(.infinity))
    case UInt8(ascii: "N"): return try literal("NaN", .double(.nan))
    case UInt8(ascii: "I"): return try literal("Infinity", .double(.infinity))
    default: return try number()
    }
  }

  private mutating func literal(_ text: StaticString, _ value: OrderedJSONValue) throws(JSONSyntaxError) -> OrderedJSONValue {
    guard ByteText.hasPrefix(bytes, text, at: index) else { throw error("unexpected character, expected a value") }
    index += text.utf8CodeUnitCount
    return value
  }

  private mutating func object(depth: Int) throws(JSONSyntaxError) -> OrderedJSONValue {
    index += 1
    var members: [OrderedJSONValue.Member] = []
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw error("expected a quoted key in an object")
      }
      let keyLine = line
      let keyOffset = index
      let key = try string()
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
        throw error("expected ':' after key \"\(key)\"")
      }
      index += 1
      let value = try value(depth: depth + 1)
      members.append(OrderedJSONValue.Member(key: key, value: value, line: keyLine, offset: keyOffset))
      skipSpace()
      guard index < bytes.count else { throw error("unexpected end of input inside an object") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members)
      }
      throw error("expected ',' or '}' after the value of \"\(key)\"")
    }
  }

  private mutating func array(depth: Int) throws(JSONSyntaxError) -> OrderedJSONValue {
    index += 1
    var items: [OrderedJSONValue] = []
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(items)
    }
    while true {
      items.append(try value(depth: depth + 1))
      skipSpace()
      guard index < bytes.count else { throw error("unexpected end of input inside an array") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(items)
      }
      throw error("expected ',' or ']' in an array")
    }
  }

  private mutating func string() throws(JSONSyntaxError) -> String {
    index += 1
    var result: [UInt8] = []
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      switch byte {
      case UInt8(ascii: "\""):
        return String(decoding: result, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard index < bytes.count else { break }
        let escaped = bytes[index]
        index += 1
        switch escaped {
        case UInt8(ascii: "n"): result.append(0x0A)
        case UInt8(ascii: "t"): result.append(0x09)
        case UInt8(ascii: "r"): result.append(0x0D)
        case UInt8(ascii: "b"): result.append(0x08)
        case UInt8(ascii: "f"): result.append(0x0C)
        case UInt8(ascii: "u"):
          guard index + 4 <= bytes.count,
            let code = UInt32(ByteText.string(bytes, index..<(index + 4)), radix: 16)
          else { throw error("bad \\u escape in a string") }
          index += 4
          result.append(contentsOf: Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8))
        default: result.append(escaped)
        }
      case 0x0A:
        throw error("line break inside a string")
      default:
        result.append(byte)
      }
    }
    throw error("unterminated string")
  }

  private mutating func number() throws(JSONSyntaxError) -> OrderedJSONValue {
    let start = index
    var isInteger = true
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
      index += 1
      if ByteText.hasPrefix(bytes, "Infinity", at: index) {
        index += 8
        return .double(-.infinity)
      }
      if ByteText.hasPrefix(bytes, "inf", at: index) {
        index += 3
        return .double(-.infinity)
      }
    }
    while index < bytes.count {
      let byte = bytes[index]
      if byte &- 0x30 < 10 {
      } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
      {
        isInteger = false
      } else {
        break
      }
      index += 1
    }
    let text = ByteText.slice(bytes, start..<index)
    guard !text.isEmpty else {
      throw error(
        "unexpected character '\(ByteText.string(bytes, index..<min(index + 1, bytes.count)))', expected a value")
    }
    if isInteger, let int = ByteText.int(bytes, start..<index) { return .int(int) }
    guard let double = NumberParser.parseDouble(text) else {
      throw error("malformed number '\(ByteText.string(text))'")
    }
    return .double(double)
  }
}
