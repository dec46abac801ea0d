/// Reads any supported input and hands its events to a consumer, in input order.
///
/// Each kind of input has its own reader; console logs go through ``LogScanner`` with every
/// console format. New kinds are added here, one case each.
public enum InputLoader {
  /// Reads `path` as `kind` (detected from the path when `nil`).
  ///
  /// A large regular console log is parsed on up to `threads` cores (``ParallelScan``); the
  /// events are the same, in the same order, as on one.
  ///
  /// - Throws: ``InputError`` when the input cannot be opened or read, or is not of its kind;
  ///   events read before the problem have been delivered.
  public static func load(
    _ path: String, as kind: InputKind? = nil, allowBinary: Bool = false, threads: Int = 1,
    _ consume: (LogEvent) -> Void
  ) throws(InputError) {
    switch kind ?? InputKind.detect(path) {
    case .consoleLog:
      try ParallelScan.scanFile(path, threads: threads, allowBinary: allowBinary, consume)
    case .trainerState:
      try TrainerStateReader.read(path, consume)
    case .deepSpeedConfig:
      try DeepSpeedConfigReader.load(path, consume)
    case .launchScript:
      try LaunchScriptReader.load(path, consume)
    case .checkpointDirectory:
      try CheckpointDirectoryReader.read(path, consume)
    case .llamaFactoryJSONL:
      try LlamaFactoryLogReader.read(path, consume)
    case let other:
      throw InputError(path: path, kind: .malformed, detail: "reading \(other.rawValue) inputs is not supported yet")
    }
  }
}
