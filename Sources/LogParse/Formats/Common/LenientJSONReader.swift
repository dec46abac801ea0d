/// Reads JSON as Python's `json` module writes it: standard JSON plus the bare `NaN`, `Infinity`
/// and `-Infinity` that `json.dumps` emits for non-finite floats (log-formats.md §1.6).
///
/// Foundation's `JSONDecoder` with `allowsJSON5` reads those tokens too, but on Linux its errors
/// carry no position; this reader reports the byte offset of the first problem, which is what a
/// user needs to find where a `trainer_state.json` was cut.
public struct LenientJSONReader {
  /// Why the input is not JSON, and where.
  public struct Failure: Error, Sendable, Equatable {
    public var offset: Int
    public var message: String
  }

  private let bytes: UnsafeRawBufferPointer
  private var index = 0
  private var depth = 0
  /// Nesting deeper than this is refused rather than risking the stack: the reader recurses per
  /// level, and a debug build must stay inside a 512 KiB secondary-thread stack (macOS's default;
  /// parsers may run off the main thread). Trainer states nest 3 deep.
  static let maximumDepth = 100

  private init(_ bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
  }

  /// Parses `bytes` as one JSON document (whitespace around it is allowed).
  public static func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> JSONValue {
    var reader = LenientJSONReader(bytes)
    reader.skipSpace()
    let value = try reader.readValue()
    reader.skipSpace()
    if reader.index < bytes.count { throw reader.failure("unexpected \(reader.describe()) after the JSON value") }
    return value
  }

  /// Parses `bytes[range]` (all of `bytes` by default) as one JSON document.
  public static func parse(_ bytes: [UInt8], range: Range<Int>? = nil) -> Result<JSONValue, Failure> {
    bytes.withUnsafeBytes { buffer in
      let slice = UnsafeRawBufferPointer(rebasing: buffer[range ?? 0..<buffer.count])
      return Result { () throws(Failure) -> JSONValue in try parse(slice) }
    }
  }

  /// Parses the one value that starts at `offset` (after whitespace) and returns it with the offset
  /// just past it; what follows is not looked at. Reads the complete records of a cut file.
  public static func parseValue(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(Failure) -> (JSONValue, end: Int) {
    var reader = LenientJSONReader(bytes)
    reader.index = offset
    reader.skipSpace()
    let value = try reader.readValue()
    return (value, reader.index)
  }

  private func failure(_ message: String) -> Failure {
    Failure(offset: index, message: message)
  }

  private func describe() -> String {
    guard index < bytes.count else { return "end of file" }
    let byte = bytes[index]
    if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    return "byte 0x\(String(byte, radix: 16))"
  }

  private mutating func skipSpace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  private mutating func readValue() throws(Failure) -> JSONValue {
    guard index < bytes.count else { throw failure("the file ends where a value was expected (cut short?)") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try readObject()
    case UInt8(ascii: "["): return try readArray()
    case UInt8(ascii: "\""): return .string(try readString())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    case UInt8(ascii: "N"): return try literal("NaN", .number(.nan))
    case UInt8(ascii: "I"): return try literal("Infinity", .number(.infinity))
    default: return .number(try readNumber())
    }
  }

  private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
    let count = word.utf8CodeUnitCount
    let start = word.utf8Start
    for offset in 0..<count {
      guard index + offset < bytes.count else {
        index += offset
        throw failure("the file ends inside '\(word)' (cut short?)")
      }
      guard bytes[index + offset] == start[offset] else { throw failure("unexpected \(describe())") }
    }
    index += count
    return value
  }

  private mutating func readNumber() throws(Failure) -> Double {
    let start = index
    if bytes[index] == UInt8(ascii: "-") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "I") {
        _ = try literal("Infinity", .null)
        return -.infinity
      }
    }
    while index < bytes.count {
      let byte = bytes[index]
      let isNumberByte =
        byte &- 0x30 < 10 || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
      guard isNumberByte else { break }
      index += 1
    }
    guard index > start, let value = NumberParser.parseDouble(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
    else {
      if index == bytes.count && index > start { throw failure("the file ends inside a number (cut short?)") }
      index = start
      throw failure("unexpected \(describe()) where a value was expected")
    }
    return value
  }

  private mutating func readString() throws(Failure) -> String {
    let open = index
    index += 1
    var scalars: [UInt8] = []
    var plainStart = index
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        scalars.append(contentsOf: bytes[plainStart..<index])
        index += 1
        return String(decoding: scalars, as: UTF8.self)
      }
      if byte == UInt8(ascii: "\\") {
        scalars.append(contentsOf: bytes[plainStart..<index])
        try readEscape(into: &scalars)
        plainStart = index
        continue
      }
      index += 1
    }
    index = bytes.count
    throw Failure(
      offset: bytes.count, message: "the file ends inside the string that starts at byte \(open) (cut short?)")
  }

  private mutating func readEscape(into scalars: inout [UInt8]) throws(Failure) {
    index += 1
    guard index < bytes.count else { throw failure("the file ends inside a string escape (cut short?)") }
    let byte = bytes[index]
    index += 1
    switch byte {
    case UInt8(ascii: "n"): scalars.append(0x0A)
    case UInt8(ascii: "t"): scalars.append(0x09)
    case UInt8(ascii: "r"): scalars.append(0x0D)
    case UInt8(ascii: "b"): scalars.append(0x08)
    case UInt8(ascii: "f"): scalars.append(0x0C)
    case UInt8(ascii: "u"):
      guard index + 4 <= bytes.count,
        let code = UInt32(
          String(decoding: UnsafeRawBufferPointer(rebasing: bytes[index..<index + 4]), as: UTF8.self), radix: 16)
      else { throw failure("malformed \\u escape") }
      index += 4
      // Surrogate halves cannot stand alone in UTF-8; they become U+FFFD, which is harmless for keys we read.
      let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
      scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
    default: scalars.append(byte)
    }
  }

  private mutating func readArray() throws(Failure) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    index += 1
    var elements: [JSONValue] = []
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(elements)
    }
    while true {
      skipSpace()
      elements.append(try readValue())
      skipSpace()
      guard index < bytes.count else { throw failure("the file ends inside an array (cut short?)") }
      switch bytes[index] {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "]"):
        index += 1
        return .array(elements)
      default: throw failure("expected ',' or ']' in an array, found \(describe())")
      }
    }
  }

  private mutating func readObject() throws(Failure) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    let start = index
    index += 1
    var members: [String: JSONValue] = [:]
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(JSONObject(members: members, offset: start))
    }
    while true {
      skipSpace()
      guard index < bytes.count else { throw failure("the file ends inside an object (cut short?)") }
      guard bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a quoted key, found \(describe())") }
      let key = try readString()
      skipSpace()
      guard index < bytes.count else { throw failure("the file ends inside an object (cut short?)") }
      guard bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':' after a key, found \(describe())") }
      index += 1
      skipSpace()
      members[key] = try readValue()
      skipSpace()
      guard index < bytes.count else { throw failure("the file ends inside an object (cut short?)") }
      switch bytes[index] {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "}"):
        index += 1
        return .object(JSONObject(members: members, offset: start))
      default: throw failure("expected ',' or '}' in an object, found \(describe())")
      }
    }
  }

  private mutating func enter() throws(Failure) {
    depth += 1
    if depth > Self.maximumDepth { throw failure("nesting deeper than \(Self.maximumDepth) levels") }
  }
}
