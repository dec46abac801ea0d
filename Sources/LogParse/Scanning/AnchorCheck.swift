/// Small checks formats make around an anchor hit, where a literal alone says too little (the
/// digits of `step=10, skipped=`, the line start before a shell trace's `+ `).
enum AnchorCheck {
  /// The index after the run of ASCII digits starting at `start`, or `nil` when there is none.
  static func digitsEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
    var index = start
    while index < bytes.count, bytes[index] &- 0x30 < 10 { index += 1 }
    return index > start ? index : nil
  }

  /// The index after the run of spaces starting at `start` (`start` itself when there is none).
  static func spacesEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
    var index = start
    while index < bytes.count, bytes[index] == 0x20 { index += 1 }
    return index
  }

  /// Whether `start` begins a line as PCRE2's `^` sees it with `PCRE2_NEWLINE_ANYCRLF`.
  static func isLineStart(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Bool {
    start == 0 || bytes[start - 1] == 0x0A || bytes[start - 1] == 0x0D
  }

  /// The end of the run of non-space bytes (PCRE2's `\S`: not space, `\t`, `\n`, `\v`, `\f`, `\r`)
  /// starting at `start`.
  static func nonSpaceEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
    var index = start
    while index < bytes.count, !(bytes[index] == 0x20 || (0x09...0x0D).contains(bytes[index])) { index += 1 }
    return index
  }
}
