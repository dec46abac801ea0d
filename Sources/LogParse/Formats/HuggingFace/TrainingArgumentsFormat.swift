/// The `TrainingArguments` dump example scripts log (log-formats.md §1.5), in both shapes:
///
/// - 4.x `__str__`: `…TrainingArguments(` ending the first line (after any logger prefix), then
///   one sorted `key=value,` per line, then `)`;
/// - the 2021 dataclass repr on one line: `TrainingArguments(output_dir=…, per_device_train_batch_size=4, …)`.
///
/// Subclasses match too (`Seq2SeqTrainingArguments(`, `MyTrainingArguments(`). Only the keys in
/// ``TrainingArgumentKeys`` become settings; the rest of the dump is skipped.
public final class TrainingArgumentsFormat: LogFormat {
  public let name = "hf-training-arguments"
  /// A dump is a block: a range that ends inside one reads on to its end.
  public var readsFromAnyLine: Bool { true }
  private var finder: Matcher
  /// Lines of the open multi-line dump that did not look like `key=value,`; too many end it.
  private var strayLines = 0
  private static let maximumStrayLines = 20

  public init() {
    finder = try! Pattern(#"TrainingArguments\("#).makeMatcher()
  }

  public var anchors: [Anchor] { [Anchor("TrainingArguments(")] }

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    guard let match = try? finder.firstMatch(in: bytes) else { return .done }
    if Self.isSourceCode(bytes, before: match.lowerBound) { return .done }
    let open = match.upperBound
    events.append(.mark(SequenceMark(location: segment.location, kind: .argumentsDump)))
    var rest = open
    while rest < bytes.count, bytes[rest] == 0x20 || bytes[rest] == 0x09 { rest += 1 }
    if rest == bytes.count {
      strayLines = 0
      return .wantsFollowingSegments
    }
    readOneLine(bytes, from: open, segment, &events)
    return .done
  }

  public func continueBlock(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    let start = LinePrefix.parse(bytes).contentStart
    let line = UnsafeRawBufferPointer(rebasing: bytes[start...])
    if line.first == UInt8(ascii: ")") { return .done }
    guard let equals = Self.keyEnd(line, from: 0) else {
      // Blank segments are the `\n` of a CRLF pair; other lines may be a value's continuation.
      if !line.isEmpty {
        strayLines += 1
        if strayLines > Self.maximumStrayLines { return .done }
      }
      return .wantsFollowingSegments
    }
    var end = line.count
    while end > equals + 1, line[end - 1] == 0x20 || line[end - 1] == UInt8(ascii: ",") { end -= 1 }
    emit(key: 0..<equals, value: equals + 1..<end, in: line, segment, &events)
    return .wantsFollowingSegments
  }

  /// The one-line repr: `key=value, key=value, …)`; commas inside brackets or quotes belong to
  /// the value, and a value ends only at a `, ` followed by the next `key=`.
  private func readOneLine(
    _ bytes: UnsafeRawBufferPointer, from start: Int, _ segment: Segment, _ events: inout [LogEvent]
  ) {
    var index = start
    while index < bytes.count {
      guard let equals = Self.keyEnd(bytes, from: index) else { return }
      var cursor = equals + 1
      var depth = 0
      var quote: UInt8?
      var valueEnd: Int?
      var nextKey = bytes.count
      while cursor < bytes.count {
        let byte = bytes[cursor]
        if let open = quote {
          if byte == open { quote = nil }
        } else if byte == 0x27 || byte == 0x22 {
          quote = byte
        } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "(") {
          depth += 1
        } else if byte == UInt8(ascii: ")") && depth == 0 {
          valueEnd = cursor
          break
        } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ")") {
          depth -= 1
        } else if byte == UInt8(ascii: ","), depth == 0, cursor + 1 < bytes.count, bytes[cursor + 1] == 0x20,
          Self.keyEnd(bytes, from: cursor + 2) != nil
        {
          valueEnd = cursor
          nextKey = cursor + 2
          break
        }
        cursor += 1
      }
      // A value cut by another process' output (`corpus/public/05`) ends the dump there.
      guard let valueEnd else { return }
      emit(key: index..<equals, value: equals + 1..<valueEnd, in: bytes, segment, &events)
      if nextKey == bytes.count { return }
      index = nextKey
    }
  }

  /// A traceback quoting the script (`args = TrainingArguments(`, `f(TrainingArguments(`) is code,
  /// not a dump: the class name follows `=`, `(` or `,` there, and a log message elsewhere.
  private static func isSourceCode(_ bytes: UnsafeRawBufferPointer, before start: Int) -> Bool {
    var index = start
    while index > 0,
      (bytes[index - 1] | 0x20) &- UInt8(ascii: "a") < 26 || bytes[index - 1] &- 0x30 < 10
        || bytes[index - 1] == UInt8(ascii: "_") || bytes[index - 1] == UInt8(ascii: ".")
    {
      index -= 1
    }
    while index > 0, bytes[index - 1] == 0x20 { index -= 1 }
    guard index > 0 else { return false }
    let previous = bytes[index - 1]
    return previous == UInt8(ascii: "=") || previous == UInt8(ascii: "(") || previous == UInt8(ascii: ",")
  }

  /// The index of the `=` after an identifier starting at `start`, if that is what is there.
  private static func keyEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
    var index = start
    while index < bytes.count {
      let byte = bytes[index]
      let isIdentifier =
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: "_") || (index > start && byte &- 0x30 < 10)
      if !isIdentifier { break }
      index += 1
    }
    guard index > start, index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return nil }
    return index
  }

  private func emit(
    key: Range<Int>, value: Range<Int>, in bytes: UnsafeRawBufferPointer, _ segment: Segment,
    _ events: inout [LogEvent]
  ) {
    let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[key]), as: UTF8.self)
    guard let kind = TrainingArgumentKeys.kinds[name] else { return }
    let text = UnsafeRawBufferPointer(rebasing: bytes[value])
    guard let parsed = TrainingArgumentKeys.value(text, as: kind) else { return }
    let setting = SettingEvent(
      location: segment.location, name: name, value: parsed, source: .hfTrainingArguments,
      text: "\(name)=\(String(decoding: text, as: UTF8.self))")
    events.append(.setting(setting))
  }
}
