internal import CPCRE2

/// Reads a Python dict repr, as `str(dict)` prints it, from raw bytes.
///
/// HF Trainer prints its logs with `str(logs)`: single-quoted keys, bare `nan`/`inf`, Python float
/// reprs, and in transformers 5.x floats as quoted strings (`'loss': '2.312'`). Values that are
/// neither numbers nor strings (lists, nested dicts, `np.float64(…)`, `tensor(…)`, `True`) are
/// skipped with their brackets balanced; wrappers around one number keep that number.
struct PythonDictReader {
  /// A value as written: its bytes (inside quotes for strings) and whether it was quoted.
  struct Entry {
    var key: Range<Int>
    var value: Range<Int>
    var quoted: Bool
  }

  let bytes: UnsafeRawBufferPointer
  private(set) var index: Int

  /// Starts reading at the `{` at `start`.
  init(bytes: UnsafeRawBufferPointer, start: Int) {
    self.bytes = bytes
    self.index = start
  }

  /// Reads the whole dict; returns `false` when it is cut or not a flat `'key': value` dict.
  ///
  /// The reading happens in a local ``DictCursor`` so that the position stays in a register
  /// (as a property of `self` it would be stored back to memory at every byte).
  mutating func readEntries(into entries: inout [Entry]) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    var cursor = DictCursor(base: base, count: bytes.count, index: index)
    let complete = cursor.readEntries(into: &entries)
    index = cursor.index
    return complete
  }
}

/// The position in a dict repr and the grammar read from it.
private struct DictCursor {
  let base: UnsafeRawPointer
  let count: Int
  var index: Int

  mutating func readEntries(into entries: inout [PythonDictReader.Entry]) -> Bool {
    guard peek() == UInt8(ascii: "{") else { return false }
    index &+= 1
    skipSpaces()
    if peek() == UInt8(ascii: "}") {
      index &+= 1
      return true
    }
    while index < count {
      skipSpaces()
      guard let key = readQuoted() else { return false }
      skipSpaces()
      guard peek() == UInt8(ascii: ":") else { return false }
      index &+= 1
      skipSpaces()
      guard let (value, quoted) = readValue() else { return false }
      entries.append(PythonDictReader.Entry(key: key, value: value, quoted: quoted))
      skipSpaces()
      switch peek() {
      case UInt8(ascii: ","): index &+= 1
      case UInt8(ascii: "}"):
        index &+= 1
        return true
      default: return false
      }
    }
    return false
  }

  @inline(__always)
  private func byte(_ offset: Int) -> UInt8 {
    // SAFETY: every caller checks offset < count first.
    base.load(fromByteOffset: offset, as: UInt8.self)
  }

  @inline(__always)
  private func peek() -> UInt8? { index < count ? byte(index) : nil }

  @inline(__always)
  private mutating func skipSpaces() {
    while index < count {
      let current = byte(index)
      guard current == 0x20 || current == 0x09 else { return }
      index &+= 1
    }
  }

  /// A quoted string's contents (without quotes); handles backslash escapes.
  ///
  /// The shim finds the next quote or backslash 16 bytes at a time (keys and values are 4 to 25
  /// bytes: a byte loop spent ~5 instructions on each).
  @inline(__always)
  private mutating func readQuoted() -> Range<Int>? {
    guard let quote = peek(), quote == 0x27 || quote == 0x22 else { return nil }
    let start = index &+ 1
    var cursor = start
    let data = base.assumingMemoryBound(to: UInt8.self)
    while cursor < count {
      // SAFETY: the shim reads data[cursor ..< count], inside the segment.
      cursor = cpcre2_dict_quote_end(data, count, cursor, quote)
      guard cursor < count else { return nil }
      if byte(cursor) == 0x5C {
        cursor &+= 2
        continue
      }
      index = cursor &+ 1
      return start..<cursor
    }
    return nil
  }

  private mutating func readValue() -> (Range<Int>, Bool)? {
    guard let first = peek() else { return nil }
    if first == 0x27 || first == 0x22 {
      guard let range = readQuoted() else { return nil }
      return (range, true)
    }
    if first == UInt8(ascii: "[") || first == UInt8(ascii: "{") || first == UInt8(ascii: "(") {
      let start = index
      guard skipBalanced() else { return nil }
      return (start..<index, false)
    }
    // A bare token: a number, nan/inf, True/None, or a call such as np.float64(0.5). It ends at
    // `,`, `}`, a space or the end; at `(` it is a call.
    let start = index
    // SAFETY: the shim reads base[start ..< count], inside the segment.
    index = cpcre2_dict_token_end(base.assumingMemoryBound(to: UInt8.self), count, start)
    if index < count, byte(index) == UInt8(ascii: "(") {
      let open = index
      guard skipBalanced() else { return nil }
      return (unwrapCall(open..<index) ?? start..<index, false)
    }
    return (start..<index, false)
  }

  /// For `name(x, …)`, the range of `x` (the first argument), e.g. `tensor(1.25, device='cuda:0')`.
  private func unwrapCall(_ parenthesised: Range<Int>) -> Range<Int>? {
    var start = parenthesised.lowerBound + 1
    while start < parenthesised.upperBound, byte(start) == 0x20 { start += 1 }
    var end = start
    while end < parenthesised.upperBound - 1 {
      let current = byte(end)
      if current == UInt8(ascii: ",") || current == UInt8(ascii: ")") || current == 0x20 { break }
      end += 1
    }
    return end > start ? start..<end : nil
  }

  /// Skips a bracketed value, honouring nested brackets and quoted strings.
  private mutating func skipBalanced() -> Bool {
    var depth = 0
    while index < count {
      switch byte(index) {
      case 0x27, 0x22:
        guard readQuoted() != nil else { return false }
        continue
      case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "("): depth += 1
      case UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ")"):
        depth -= 1
        if depth == 0 {
          index += 1
          return true
        }
      default: break
      }
      index += 1
    }
    return false
  }
}
