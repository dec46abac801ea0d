import Testing

@testable import LogParse

/// The dict reader's vectorised searches for a value's or a key's end, at every length and place.
@Suite("PythonDictReader")
struct PythonDictReaderTests {
  /// The entries of the dict at the first `{` in `text`, as (key, value, quoted) strings, or `nil`.
  private static func entries(_ text: String) -> [(String, String, Bool)]? {
    let bytes = Array(text.utf8)
    guard let start = bytes.firstIndex(of: UInt8(ascii: "{")) else { return nil }
    return bytes.withUnsafeBytes { buffer -> [(String, String, Bool)]? in
      var reader = PythonDictReader(bytes: buffer, start: start)
      var entries: [PythonDictReader.Entry] = []
      guard reader.readEntries(into: &entries) else { return nil }
      return entries.map { entry in
        (
          String(decoding: buffer[entry.key], as: UTF8.self), String(decoding: buffer[entry.value], as: UTF8.self),
          entry.quoted
        )
      }
    }
  }

  @Test("keys and values of every length from 1 to 40 end where they should, after any padding")
  func everyLengthAndPlace() throws {
    for padding in 0..<17 {
      for length in 1...40 {
        let key = String(repeating: "k", count: length)
        let number = "1" + String(repeating: "2", count: length - 1)
        let quoted = String(repeating: "q", count: length - 1) + "\\'"
        let text =
          String(repeating: " ", count: padding)
          + "{'\(key)': \(number), 'q': '\(quoted)', 'c': np.float64(\(number)), 'n': nan,'e': \(number)}"
        let read = try #require(Self.entries(text), "\(text)")
        #expect(read.map(\.0) == [key, "q", "c", "n", "e"])
        #expect(read.map(\.1) == [number, quoted, number, "nan", number])
        #expect(read.map(\.2) == [false, true, false, false, false])
      }
    }
  }

  @Test("a dict cut at any byte is reported incomplete, never read past its end")
  func cutAnywhere() {
    let text = "{'loss': 2.5648, 'grad_norm': 0.5525475217735057, 'learning_rate': '9.99e-08', 'epoch': 0.0}"
    #expect(Self.entries(text)?.count == 4)
    for end in 1..<text.utf8.count {
      let cut = String(decoding: Array(text.utf8)[0..<end], as: UTF8.self)
      #expect(Self.entries(cut) == nil, "\(cut)")
    }
  }
}
