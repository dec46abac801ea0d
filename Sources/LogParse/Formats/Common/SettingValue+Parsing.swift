extension SettingValue {
  /// Reads a value as Python, a shell or a config dump prints it: `True`/`true`/`False`/`false`,
  /// an integer, a float (`1e-4`, `1.000000e+10`), `"auto"`/`auto`, else the text itself.
  ///
  /// Returns `nil` for `None`/`null`/empty, which state nothing.
  static func parse(_ bytes: UnsafeRawBufferPointer) -> SettingValue? {
    var text = bytes
    if text.count >= 2, let first = text.first, first == 0x22 || first == 0x27, text.last == first {
      text = UnsafeRawBufferPointer(rebasing: text.dropFirst().dropLast())
    }
    if text.isEmpty || ByteText.hasPrefix(text, "None") && text.count == 4
      || ByteText.hasPrefix(text, "null") && text.count == 4
    {
      return nil
    }
    switch ByteText.string(text) {
    case "True", "true": return .bool(true)
    case "False", "false": return .bool(false)
    case "auto": return .auto
    default: break
    }
    if let int = ByteText.int(text, 0..<text.count) { return .int(int) }
    if let double = NumberParser.parseDouble(text) { return .double(double) }
    return .string(ByteText.string(text))
  }

  /// ``parse(_:)`` for a Swift string (shell words, decoded JSON strings).
  static func parse(_ text: String) -> SettingValue? {
    var copy = text
    return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
  }
}
