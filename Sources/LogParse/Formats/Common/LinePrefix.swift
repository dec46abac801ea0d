/// The prefixes launchers and loggers put before a line, peeled off so that parsers see the
/// message, and remembered so that duplicates from several ranks or nodes can be told apart.
///
/// Applied repeatedly, in any order (log-formats.md §5): ANSI colour codes; torchrun's `--tee`
/// `[default0]:` (any role, no space after the colon); recent torch's `[rank0]: `; srun
/// `--label`'s `0: `; pdsh's `host: `.
public struct LinePrefix: Sendable, Equatable {
  /// Where the message starts in the segment.
  public var contentStart: Int
  /// The rank a `[role N]:`, `[rankN]:` or `N: ` prefix names (the innermost one wins).
  public var rank: Int?
  /// The byte range of a pdsh host name (`machine1: `), if any.
  public var host: Range<Int>?

  /// Peels the prefixes off `bytes`.
  ///
  /// - Complexity: O(p) in the length of the prefixes; the message itself is not scanned.
  @inline(__always)
  public static func parse(_ bytes: UnsafeRawBufferPointer) -> LinePrefix {
    // Every prefix starts with ESC, `[`, a digit or a letter: most lines start with none of them
    // (an HF dict padded by tqdm starts with spaces), and skip the four tries. Inlined, with the
    // tries out of line: a call that saved the registers the tries need cost ~50 instructions.
    guard let first = bytes.first, first == 0x1B || first == UInt8(ascii: "[") || first &- 0x30 < 10 || isLetter(first)
    else { return LinePrefix(contentStart: 0, rank: nil, host: nil) }
    return peel(bytes)
  }

  /// ``parse(_:)`` without its first-byte check (for the test that compares the two).
  @inline(never)
  static func peel(_ bytes: UnsafeRawBufferPointer) -> LinePrefix {
    var prefix = LinePrefix(contentStart: 0, rank: nil, host: nil)
    var index = 0
    while index < bytes.count {
      if let end = ansiEnd(bytes, index) {
        index = end
      } else if let (end, rank) = bracketedRank(bytes, index) {
        index = end
        prefix.rank = rank
      } else if let (end, rank) = numericLabel(bytes, index) {
        index = end
        prefix.rank = rank
      } else if prefix.host == nil, let (end, host) = hostLabel(bytes, index) {
        index = end
        prefix.host = host
      } else {
        break
      }
    }
    prefix.contentStart = index
    return prefix
  }

  /// `ESC [ digits ; … m`.
  private static func ansiEnd(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int? {
    guard start + 2 < bytes.count, bytes[start] == 0x1B, bytes[start + 1] == UInt8(ascii: "[") else { return nil }
    var index = start + 2
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "m") { return index + 1 }
      guard byte == UInt8(ascii: ";") || byte &- 0x30 < 10 else { return nil }
      index += 1
    }
    return nil
  }

  /// `[default0]:`, `[trainer3]:`, `[rank12]: ` — letters or `_`, digits, `]:`, an optional space.
  private static func bracketedRank(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> (Int, Int)? {
    guard start < bytes.count, bytes[start] == UInt8(ascii: "[") else { return nil }
    var index = start + 1
    let lettersStart = index
    while index < bytes.count, isLetter(bytes[index]) { index += 1 }
    guard index > lettersStart else { return nil }
    let (digitsEnd, rank) = digits(bytes, index)
    guard let rank, digitsEnd + 1 < bytes.count, bytes[digitsEnd] == UInt8(ascii: "]"),
      bytes[digitsEnd + 1] == UInt8(ascii: ":")
    else { return nil }
    index = digitsEnd + 2
    if index < bytes.count, bytes[index] == 0x20 { index += 1 }
    return (index, rank)
  }

  /// srun's `12: `.
  private static func numericLabel(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> (Int, Int)? {
    let (end, rank) = digits(bytes, start)
    guard let rank, end + 1 < bytes.count, bytes[end] == UInt8(ascii: ":"), bytes[end + 1] == 0x20 else {
      return nil
    }
    return (end + 2, rank)
  }

  /// pdsh's `host: ` — a host-name-like word (letters, digits, `.`, `-`, `_`) that does not start
  /// with a digit, then `: `.
  private static func hostLabel(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> (Int, Range<Int>)? {
    guard start < bytes.count, isLetter(bytes[start]) else { return nil }
    var index = start
    while index < bytes.count, isHostByte(bytes[index]) { index += 1 }
    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == 0x20 else { return nil }
    return (index + 2, start..<index)
  }

  private static func digits(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> (Int, Int?) {
    var index = start
    var value = 0
    while index < bytes.count, bytes[index] &- 0x30 < 10, index - start < 9 {
      value = value * 10 + Int(bytes[index] &- 0x30)
      index += 1
    }
    return (index, index > start ? value : nil)
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: "_")
  }

  private static func isHostByte(_ byte: UInt8) -> Bool {
    isLetter(byte) || byte &- 0x30 < 10 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
  }
}
