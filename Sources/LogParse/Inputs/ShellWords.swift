/// Splits shell text into commands and words, expanding `$NAME` and `${NAME}` from known variables.
///
/// It understands what launch scripts use: comments, `\` line continuations, single and double
/// quotes, backslash escapes, `$NAME`, `${NAME}`, `${NAME:-default}`, and the separators `;`, `&&`,
/// `||`, `|`, `&`. Command substitution (`$(…)`, backticks), arithmetic and other expansions are
/// not run: a word using them is marked unresolved, never guessed.
struct ShellWords {
  /// One word, with the physical line it starts on and what could not be expanded.
  struct Word {
    var text: String
    /// The word as written (for evidence).
    var raw: String
    var line: Int
    /// Variable names used but not known, or `$(…)`-style expansions that are not run.
    var unresolved: [String]
  }

  /// A command: its words, in order.
  typealias Command = [Word]

  private let bytes: [UInt8]
  private var index = 0
  private var line = 1

  init(_ text: [UInt8]) {
    bytes = text
  }

  /// Reads the next command, expanding variables from `variables`; `nil` at the end.
  mutating func nextCommand(variables: [String: String]) -> Command? {
    var words: Command = []
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case 0x20, 0x09, 0x0D:
        index += 1
      case UInt8(ascii: "\\") where index + 1 < bytes.count && bytes[index + 1] == 0x0A:
        index += 2
        line += 1
      case 0x0A, UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"):
        if byte == 0x0A { line += 1 }
        index += 1
        if !words.isEmpty { return words }
      case UInt8(ascii: "#"):
        while index < bytes.count, bytes[index] != 0x0A { index += 1 }
      case UInt8(ascii: ">"), UInt8(ascii: "<"):
        // A redirection: skip the operator and its target.
        index += 1
        while index < bytes.count, bytes[index] == UInt8(ascii: ">") || bytes[index] == UInt8(ascii: "&") { index += 1 }
        while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        _ = word(variables: variables)
      default:
        let start = index
        let wordLine = line
        var parsed = word(variables: variables)
        // `2>&1`: a file-descriptor number glued to a redirection is not a word.
        if index < bytes.count, bytes[index] == UInt8(ascii: ">") || bytes[index] == UInt8(ascii: "<"),
          parsed.text.allSatisfy(\.isNumber)
        {
          continue
        }
        parsed.raw = String(decoding: bytes[start..<index], as: UTF8.self)
        parsed.line = wordLine
        words.append(parsed)
      }
    }
    return words.isEmpty ? nil : words
  }

  private mutating func word(variables: [String: String]) -> Word {
    var text: [UInt8] = []
    var unresolved: [String] = []
    var quote: UInt8?
    while index < bytes.count {
      let byte = bytes[index]
      if quote == UInt8(ascii: "'") {
        index += 1
        if byte == UInt8(ascii: "'") { quote = nil } else { text.append(byte) }
        if byte == 0x0A { line += 1 }
        continue
      }
      switch byte {
      case 0x20, 0x09, 0x0D, 0x0A, UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: ">"),
        UInt8(ascii: "<"):
        if quote == nil {
          return Word(text: String(decoding: text, as: UTF8.self), raw: "", line: line, unresolved: unresolved)
        }
        if byte == 0x0A { line += 1 }
        text.append(byte)
        index += 1
      case UInt8(ascii: "'") where quote == nil, UInt8(ascii: "\"") where quote == nil:
        quote = byte
        index += 1
      case UInt8(ascii: "\"") where quote == UInt8(ascii: "\""):
        quote = nil
        index += 1
      case UInt8(ascii: "\\"):
        index += 1
        if index < bytes.count {
          if bytes[index] == 0x0A {
            line += 1
          } else {
            text.append(bytes[index])
          }
          index += 1
        }
      case UInt8(ascii: "`"):
        unresolved.append("`…`")
        index += 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "`") { index += 1 }
        index = min(index + 1, bytes.count)
      case UInt8(ascii: "$"):
        expand(into: &text, unresolved: &unresolved, variables: variables)
      default:
        text.append(byte)
        index += 1
      }
    }
    return Word(text: String(decoding: text, as: UTF8.self), raw: "", line: line, unresolved: unresolved)
  }

  /// Expands the `$…` at `index`.
  private mutating func expand(into text: inout [UInt8], unresolved: inout [String], variables: [String: String]) {
    index += 1
    guard index < bytes.count else {
      text.append(UInt8(ascii: "$"))
      return
    }
    if bytes[index] == UInt8(ascii: "(") {
      // `$(…)` or `$((…))`: skip to the matching parenthesis.
      var depth = 0
      let start = index - 1
      while index < bytes.count {
        if bytes[index] == UInt8(ascii: "(") { depth += 1 }
        if bytes[index] == UInt8(ascii: ")") {
          depth -= 1
          if depth == 0 { break }
        }
        index += 1
      }
      index = min(index + 1, bytes.count)
      unresolved.append(String(decoding: bytes[start..<index], as: UTF8.self))
      return
    }
    var name = ""
    var fallback: String?
    if bytes[index] == UInt8(ascii: "{") {
      guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) else {
        text.append(UInt8(ascii: "$"))
        return
      }
      let inner = bytes[(index + 1)..<close]
      index = close + 1
      if let colon = inner.firstIndex(of: UInt8(ascii: ":")), colon + 1 < close, bytes[colon + 1] == UInt8(ascii: "-") {
        name = String(decoding: bytes[inner.startIndex..<colon], as: UTF8.self)
        fallback = String(decoding: bytes[(colon + 2)..<close], as: UTF8.self)
      } else {
        name = String(decoding: inner, as: UTF8.self)
      }
    } else {
      let start = index
      while index < bytes.count,
        bytes[index] == UInt8(ascii: "_") || (bytes[index] | 0x20) &- 0x61 < 26 || bytes[index] &- 0x30 < 10
      {
        index += 1
      }
      if index == start {
        // `$@`, `$1`-style specials and a lone `$`.
        if index < bytes.count, "@*#?$!0123456789".utf8.contains(bytes[index]) {
          unresolved.append("$" + String(decoding: [bytes[index]], as: UTF8.self))
          index += 1
        } else {
          text.append(UInt8(ascii: "$"))
        }
        return
      }
      name = String(decoding: bytes[start..<index], as: UTF8.self)
    }
    if let value = variables[name] ?? fallback {
      text.append(contentsOf: Array(value.utf8))
    } else {
      unresolved.append(name)
    }
  }
}
