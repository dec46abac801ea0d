/// The prefix Python loggers put before a message, peeled off so that a parser sees the message.
///
/// DeepSpeed's logger writes `[2024-09-15 00:13:21,397] [INFO] [config.py:1003:print] ` before
/// every message (log-formats.md §2.1); the `file:line:func` part changes between versions, so it
/// is skipped by shape, never matched. HF's explicit format `[INFO|trainer.py:1143] 2021-05-25
/// 06:30:55,345 >> ` is peeled too.
enum LoggerPrefix {
  /// Where the message starts at or after `start`, and whether a logger prefix was found.
  ///
  /// - Complexity: O(p) in the length of the prefix.
  static func messageStart(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (start: Int, found: Bool) {
    var index = start
    var brackets = 0
    // Up to three bracketed fields, each followed by one space: timestamp, level, file:line:func.
    while brackets < 3, index < bytes.count, bytes[index] == UInt8(ascii: "[") {
      guard let close = ByteText.firstIndex(of: UInt8(ascii: "]"), in: bytes, from: index + 1, limit: 120) else {
        break
      }
      let inner = UnsafeRawBufferPointer(rebasing: bytes[(index + 1)..<close])
      guard isLoggerField(inner, position: brackets) else { break }
      index = close + 1
      if index < bytes.count, bytes[index] == 0x20 { index += 1 }
      brackets += 1
      // HF's explicit format: `[LEVEL|file:line] date time >> `.
      if brackets == 1, ByteText.contains(inner, UInt8(ascii: "|")),
        let arrow = ByteText.find(">> ", in: bytes, from: index, limit: 40)
      {
        return (arrow + 3, true)
      }
    }
    return (index, brackets > 0)
  }

  /// `[Rank 0]` is part of DeepSpeed's message, not of the logger prefix.
  private static func isLoggerField(_ inner: UnsafeRawBufferPointer, position: Int) -> Bool {
    guard let first = inner.first else { return false }
    if ByteText.hasPrefix(inner, "Rank ") || ByteText.hasPrefix(inner, "RANK ") { return false }
    // timestamp `2024-…`, level `INFO`/`WARNING`, location `config.py:1003:print` or `INFO|trainer.py:1143`.
    return first &- 0x30 < 10 || ByteText.contains(inner, UInt8(ascii: ":"))
      || inner.allSatisfy { $0 &- UInt8(ascii: "A") < 26 }
  }
}
