/// Reads HF's `trainer_state.json` (log-formats.md §1.6) into events.
///
/// Every layout from 4.30 to 5.x: `log_history` entries become ``TrainingStep``s (with the logged
/// `step`), ``Evaluation``s and ``TrainingSummary``s; the top-level `train_batch_size`,
/// `logging_steps`, `max_steps`, `num_train_epochs`, `eval_steps` and `save_steps` become settings.
/// Gradient accumulation and world size are not stored in the state, so none are invented.
public enum TrainerStateReader {
  /// Reads the file at `path`.
  ///
  /// - Throws: ``InputError`` naming the file and the byte offset when it is cut short or not
  ///   JSON, or is JSON without a `log_history`. Nothing is delivered for such a file.
  public static func read(_ path: String, _ consume: (LogEvent) -> Void) throws(InputError) {
    let bytes = try WholeFileReader.contents(of: path)
    let root: JSONObject
    do throws(InputError) {
      root = try parse(bytes, path: path)
    } catch {
      // A file cut by a full disk or a killed job: the whole entries before the cut still count.
      guard let salvaged = salvageLogHistory(bytes) else { throw error }
      emit(salvaged, bytes: bytes, consume)
      let count = salvaged["log_history"]?.array?.count ?? 0
      throw InputError(
        path: path, kind: error.kind, detail: "\(error.detail); complete log_history entries read before it: \(count)",
        line: error.line, byteOffset: error.byteOffset)
    }
    emit(root, bytes: bytes, consume)
  }

  /// The complete `log_history` entries of a state that is not valid JSON, or `nil` when there are
  /// none. Only the entries are kept: the settings after `log_history` (sorted keys) are lost with
  /// the cut.
  static func salvageLogHistory(_ bytes: [UInt8]) -> JSONObject? {
    let key = Array("\"log_history\"".utf8)
    guard let keyRange = bytes.firstRange(of: key) else { return nil }
    var index = keyRange.upperBound
    while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
      || bytes[index] == 0x09 || bytes[index] == UInt8(ascii: ":")
    {
      index += 1
    }
    guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
    index += 1
    var entries: [JSONValue] = []
    bytes.withUnsafeBytes { buffer in
      while true {
        guard let (value, end) = try? LenientJSONReader.parseValue(buffer, at: index), value.object != nil else { return }
        entries.append(value)
        index = end
        while index < buffer.count, buffer[index] == 0x20 || buffer[index] == 0x0A || buffer[index] == 0x0D
          || buffer[index] == 0x09
        {
          index += 1
        }
        guard index < buffer.count, buffer[index] == UInt8(ascii: ",") else { return }
        index += 1
      }
    }
    guard !entries.isEmpty else { return nil }
    return JSONObject(members: ["log_history": .array(entries)], offset: 0)
  }

  /// The top-level object of a trainer state, or an error naming the place it went wrong.
  static func parse(_ bytes: [UInt8], path: String) throws(InputError) -> JSONObject {
    let value: JSONValue
    switch LenientJSONReader.parse(bytes) {
    case .success(let parsed): value = parsed
    case .failure(let error):
      throw InputError(
        path: path, kind: .malformed, detail: "not valid JSON: \(error.message)",
        line: WholeFileReader.line(of: error.offset, in: bytes), byteOffset: Int64(error.offset))
    }
    guard let root = value.object, root["log_history"]?.array != nil else {
      throw InputError(
        path: path, kind: .malformed, detail: "JSON without a \"log_history\" list; not a trainer_state.json",
        byteOffset: 0)
    }
    return root
  }

  /// The `global_step` a state records, for choosing the newest of several.
  static func globalStep(_ root: JSONObject) -> Int {
    root["global_step"]?.int ?? 0
  }

  /// Emits the settings, then the log entries in file order.
  static func emit(_ root: JSONObject, bytes: [UInt8], _ consume: (LogEvent) -> Void) {
    var lines = LineCounter()
    for (key, name) in settingKeys {
      guard let value = root[key], let setting = settingValue(value) else { continue }
      let offset = keyOffset(key, in: bytes) ?? root.offset
      let location = SourceLocation(line: lines.line(at: offset, in: bytes), offset: Int64(offset))
      consume(
        .setting(
          SettingEvent(
            location: location, name: name, value: setting, source: .trainerState,
            text: "\"\(key)\": \(SettingEvidence.describe(setting))")))
    }
    lines = LineCounter()
    var lastTrainingStep: Int?
    for entry in root["log_history"]?.array ?? [] {
      guard let entry = entry.object else { continue }
      let location = SourceLocation(line: lines.line(at: entry.offset, in: bytes), offset: Int64(entry.offset))
      switch classify(entry) {
      case .training:
        let step = entry["step"]?.int
        // A state saved twice for the same step (a resume that re-logged it) holds it once.
        if let step, step == lastTrainingStep { continue }
        lastTrainingStep = step
        consume(
          .trainingStep(
            TrainingStep(
              location: location, format: .trainerState, step: step, epoch: entry.number("epoch"),
              loss: entry.number("loss"), gradNorm: entry.number("grad_norm"),
              learningRate: entry.number("learning_rate") ?? entry.number("lr"))))
      case .evaluation:
        consume(
          .evaluation(
            Evaluation(
              location: location, step: entry["step"]?.int, epoch: entry.number("epoch"),
              loss: entry.number("eval_loss"))))
      case .summary:
        consume(
          .trainingSummary(
            TrainingSummary(
              location: location, trainLoss: entry.number("train_loss"), runtimeSeconds: entry.number("train_runtime"),
              epoch: entry.number("epoch"))))
      case .other:
        break
      }
    }
  }

  /// Top-level keys read as settings, with the name they go by.
  ///
  /// `train_batch_size` in the state is `per_device_train_batch_size × max(1, n_gpu)`; n_gpu is 1
  /// under DDP and DeepSpeed, so it is the per-device batch (log-formats.md §1.6).
  static let settingKeys: [(String, String)] = [
    ("train_batch_size", "per_device_train_batch_size"), ("logging_steps", "logging_steps"),
    ("max_steps", "max_steps"), ("num_train_epochs", "num_train_epochs"), ("eval_steps", "eval_steps"),
    ("save_steps", "save_steps"),
  ]

  private static func settingValue(_ value: JSONValue) -> SettingValue? {
    if let int = value.int { return .int(int) }
    if let double = value.double { return .double(double) }
    return nil
  }

  /// The offset of `"key":` at the top level (two-space indent, as `json.dumps(indent=2)` writes).
  private static func keyOffset(_ key: String, in bytes: [UInt8]) -> Int? {
    let needle = Array("\n  \"\(key)\":".utf8)
    guard needle.count <= bytes.count else { return nil }
    var index = 0
    while index + needle.count <= bytes.count {
      if bytes[index] == 0x0A, bytes[index..<index + needle.count].elementsEqual(needle) { return index + 1 }
      index += 1
    }
    return nil
  }

  enum EntryKind { case training, evaluation, summary, other }

  /// What a `log_history` entry is, from its keys.
  static func classify(_ entry: JSONObject) -> EntryKind {
    var kind = EntryKind.other
    for key in entry.members.keys {
      if key.hasPrefix("eval_") { return .evaluation }
      if key.hasPrefix("predict_") || key.hasPrefix("test_") { return .other }
      if key == "train_runtime" || key == "train_loss" { kind = .summary }
      if kind == .other, key == "loss" || key == "grad_norm" || key == "learning_rate" || key == "lr" {
        kind = .training
      }
    }
    return kind
  }
}

/// Turns byte offsets, visited in increasing order, into 1-based line numbers in one pass.
struct LineCounter {
  private var offset = 0
  private var line = 1

  mutating func line(at target: Int, in bytes: [UInt8]) -> Int {
    if target < offset {
      offset = 0
      line = 1
    }
    let end = min(target, bytes.count)
    while offset < end {
      if bytes[offset] == 0x0A { line += 1 }
      offset += 1
    }
    return line
  }
}

/// How a setting's value is quoted back as evidence.
enum SettingEvidence {
  static func describe(_ value: SettingValue) -> String {
    switch value {
    case .int(let number): String(number)
    case .double(let number): String(number)
    case .bool(let flag): flag ? "true" : "false"
    case .string(let text): text
    case .auto: "auto"
    }
  }
}
