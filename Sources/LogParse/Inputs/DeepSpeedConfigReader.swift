/// Reads a DeepSpeed JSON config file into settings (source ``SettingSource/deepSpeedConfigFile``).
///
/// `"auto"` values (filled in by HF from its arguments, log-formats.md §2.8) are kept as
/// ``SettingValue/auto``. Each setting's line is the line of its key in the file.
public enum DeepSpeedConfigReader {
  /// Reads `path` and hands each setting to `consume`.
  ///
  /// - Throws: ``InputError`` when the file cannot be read or is not valid JSON (the message names
  ///   the line); nothing is delivered from an invalid file.
  public static func load(_ path: String, _ consume: (LogEvent) -> Void) throws(InputError) {
    let bytes = try SmallFile.read(path)
    var events: [LogEvent] = []
    try read(bytes, path: path, into: &events)
    events.forEach(consume)
  }

  static func read(_ bytes: [UInt8], path: String, into events: inout [LogEvent]) throws(InputError) {
    let parsed = bytes.withUnsafeBytes { buffer -> Result<OrderedJSONValue, JSONSyntaxError> in
      do throws(JSONSyntaxError) { return .success(try JSONReader.read(buffer)) } catch { return .failure(error) }
    }
    switch parsed {
    case .failure(let error):
      throw InputError(
        path: path, kind: .malformed, detail: "not valid JSON: \(error.message)", line: error.line,
        byteOffset: Int64(error.offset))
    case .success(let value):
      guard case .object = value else {
        throw InputError(
          path: path, kind: .malformed, detail: "not a DeepSpeed config: the JSON is not an object", line: 1)
      }
      DeepSpeedConfigSettings.emit(
        value, origin: .init(line: 1, offset: 0, source: .deepSpeedConfigFile), into: &events)
    }
  }
}
