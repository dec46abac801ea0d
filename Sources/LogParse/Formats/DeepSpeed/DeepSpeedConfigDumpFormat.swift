/// DeepSpeed's start-up config dump (log-formats.md §2.5): the `DeepSpeedEngine configuration:`
/// list of `  name ...... value` lines and the `  json = {…}` block that follows it.
///
/// - Names of 29 characters or more get no dots: `  train_micro_batch_size_per_gpu  4`.
/// - A value may span several lines (`activation_checkpointing_config  {` … `}`); the continuation
///   lines carry no logger prefix and are skipped.
/// - The `json = {` block is read as JSON (user key order, `1.000000e+10`, old trailing `, `); under
///   HF it shows the values after `"auto"` was filled in.
///
/// Settings come out with ``SettingSource/deepSpeedEngineDump``.
public final class DeepSpeedConfigDumpFormat: LogFormat {
  public let name = "deepspeed-config-dump"
  /// A dump is a block: a range that ends inside one reads on to its end.
  public var readsFromAnyLine: Bool { true }

  private enum State {
    case idle
    /// Reading `  name .... value` lines; `depth` > 0 while inside a multi-line value.
    case dump(depth: Int)
    /// Collecting the `json = {` block.
    case json
  }

  private var state = State.idle
  private var json: [UInt8] = []
  private var jsonDepth = 0
  private var jsonOrigin = SourceLocation(line: 0, offset: 0)
  private var blockLines = 0
  /// A runaway block (a dump cut off by a crash) is abandoned after this many lines.
  static let maxBlockLines = 5_000
  /// A `json = {` block is abandoned past this many bytes: real configs are a few KB, and 5,000
  /// lines of up to 1 MiB each would otherwise hold gigabytes.
  static let maxJSONBytes = 1 << 20

  /// Dump names and the setting names they become.
  static let dumpNames: [String: String] = [
    "train_batch_size": "train_batch_size",
    "train_micro_batch_size_per_gpu": "train_micro_batch_size_per_gpu",
    "gradient_accumulation_steps": "gradient_accumulation_steps",
    "world_size": "world_size",
    "gradient_clipping": "gradient_clipping",
    "optimizer_name": "optimizer",
    "optimizer_params": "optimizer_params",
    "scheduler_name": "scheduler",
    "scheduler_params": "scheduler_params",
    "fp16_enabled": "fp16",
    "bfloat16_enabled": "bf16",
    "bf16_enabled": "bf16",
    "initial_dynamic_scale": "initial_loss_scale",
    "loss_scale": "loss_scale",
    "zero_optimization_stage": "zero_stage",
    "steps_per_print": "steps_per_print",
  ]

  public init() {}

  public var anchors: [Anchor] { [Anchor("DeepSpeedEngine configuration:"), Anchor("  json = {")] }

  /// The config's `json = {` line is a candidate at its `=`.
  public func candidates(from hits: [AnchorHit], in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    for hit in hits { offsets.append(hit.anchor == 0 ? hit.offset : hit.offset + 7) }
  }

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    blockLines = 0
    if let brace = ByteText.find("json = {", in: segment.bytes, from: 0) {
      return startJSON(segment, at: brace + 7)
    }
    state = .dump(depth: 0)
    return .wantsFollowingSegments
  }

  public func continueBlock(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    blockLines += 1
    guard blockLines < Self.maxBlockLines else {
      state = .idle
      return .done
    }
    let bytes = segment.bytes
    let prefix = LinePrefix.parse(bytes)
    switch state {
    case .idle:
      return .done
    case .json:
      json.append(0x0A)
      let content = ByteText.slice(bytes, prefix.contentStart..<bytes.count)
      json.append(contentsOf: content)
      guard json.count <= Self.maxJSONBytes else {
        events.append(
          .note(
            ParseNote(
              location: jsonOrigin, kind: .incompleteRecord,
              message: "DeepSpeed `json = {` block longer than \(Self.maxJSONBytes >> 20) MiB; it was not read")))
        json.removeAll()
        state = .idle
        return .done
      }
      jsonDepth += Self.braceBalance(content)
      if jsonDepth <= 0 { return finishJSON(into: &events) }
      return .wantsFollowingSegments
    case .dump(let depth):
      let (start, isLogged) = LoggerPrefix.messageStart(bytes, from: prefix.contentStart)
      if depth > 0 && !isLogged {
        let balance = Self.braceBalance(ByteText.slice(bytes, start..<bytes.count))
        state = .dump(depth: max(0, depth + balance))
        return .wantsFollowingSegments
      }
      guard isLogged, ByteText.hasPrefix(bytes, "  ", at: start) else {
        state = .idle
        return .done
      }
      if let brace = ByteText.find("json = {", in: bytes, from: start, limit: 12) {
        return startJSON(segment, at: brace + 7)
      }
      guard let (name, value) = Self.dumpEntry(bytes, from: start + 2) else {
        state = .idle
        return .done
      }
      let valueBytes = ByteText.slice(bytes, value)
      state = .dump(depth: max(0, Self.braceBalance(valueBytes)))
      if let settingName = Self.dumpNames[ByteText.string(bytes, name)], let parsed = SettingValue.parse(valueBytes) {
        appendOnce(
          SettingEvent(
            location: segment.location, name: settingName, value: parsed, source: .deepSpeedEngineDump,
            text: ByteText.string(bytes, name.lowerBound..<value.upperBound)), into: &events)
      }
      return .wantsFollowingSegments
    }
  }

  public func finish(into events: inout [LogEvent]) {
    if case .json = state, !json.isEmpty {
      events.append(
        .note(
          ParseNote(
            location: jsonOrigin, kind: .incompleteRecord, message: "DeepSpeed `json = {` block is cut; it was not read"
          )))
    }
    state = .idle
  }

  private func startJSON(_ segment: Segment, at brace: Int) -> Continuation {
    let content = ByteText.slice(segment.bytes, brace..<segment.bytes.count)
    json = Array(content)
    jsonDepth = Self.braceBalance(content)
    jsonOrigin = SourceLocation(line: segment.line, offset: segment.offset + Int64(brace))
    state = .json
    return .wantsFollowingSegments
  }

  private func finishJSON(into events: inout [LogEvent]) -> Continuation {
    state = .idle
    let origin = jsonOrigin
    let result = json.withUnsafeBytes { bytes -> Result<OrderedJSONValue, JSONSyntaxError> in
      do throws(JSONSyntaxError) { return .success(try JSONReader.read(bytes)) } catch { return .failure(error) }
    }
    json.removeAll(keepingCapacity: true)
    switch result {
    case .success(let value):
      // Offsets inside the block are approximate: prefixes peeled from continuation lines are not counted.
      var settings: [LogEvent] = []
      DeepSpeedConfigSettings.emit(
        value, origin: .init(line: origin.line, offset: origin.offset, source: .deepSpeedEngineDump), into: &settings)
      for case .setting(let setting) in settings { appendOnce(setting, into: &events) }
    case .failure(let error):
      events.append(
        .note(
          ParseNote(
            location: SourceLocation(line: origin.line + error.line - 1, offset: origin.offset),
            kind: .unreadableValue, message: "DeepSpeed `json = {` block is not valid JSON: \(error.message)")))
    }
    return .done
  }

  /// Every node's rank 0 prints the same dump (corpus 05: 16 copies), and a setting counts once:
  /// the ``LogSequencer`` drops the copies.
  private func appendOnce(_ setting: SettingEvent, into events: inout [LogEvent]) {
    let key = "\(name) \(setting.name)=\(setting.value) \(setting.text ?? "")"
    events.append(.mark(SequenceMark(location: setting.location, kind: .once(key))))
    events.append(.setting(setting))
  }

  /// `name`, then one space, dots, an optional space, then the value — or, for names of 29+
  /// characters, two spaces and the value.
  static func dumpEntry(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (Range<Int>, Range<Int>)? {
    var index = start
    while index < bytes.count,
      bytes[index] == UInt8(ascii: "_") || (bytes[index] | 0x20) &- 0x61 < 26 || bytes[index] &- 0x30 < 10
    {
      index += 1
    }
    let name = start..<index
    guard !name.isEmpty, index < bytes.count, bytes[index] == 0x20 else { return nil }
    index += 1
    while index < bytes.count, bytes[index] == UInt8(ascii: ".") { index += 1 }
    if index < bytes.count, bytes[index] == 0x20 { index += 1 }
    return (name, ByteText.trimmed(bytes, index..<bytes.count))
  }

  /// `{`/`[` minus `}`/`]` outside strings.
  static func braceBalance(_ bytes: UnsafeRawBufferPointer) -> Int {
    var balance = 0
    var inString = false
    var escaped = false
    for byte in bytes {
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == 0x22 {
          inString = false
        }
        continue
      }
      switch byte {
      case 0x22: inString = true
      case UInt8(ascii: "{"), UInt8(ascii: "["): balance += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"): balance -= 1
      default: break
      }
    }
    return balance
  }
}
