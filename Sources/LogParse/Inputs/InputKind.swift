#if canImport(Glibc)
  internal import Glibc
#endif

/// What kind of input a path holds, decided from its name and, where needed, its first bytes.
public enum InputKind: String, Sendable, CaseIterable {
  /// A console log (stdout/stderr of a training job); the default.
  case consoleLog = "console-log"
  /// HF's `trainer_state.json`.
  case trainerState = "trainer-state"
  /// A folder: an `output_dir` with `checkpoint-N/trainer_state.json`, or a checkpoint itself.
  case checkpointDirectory = "checkpoint-directory"
  /// LLaMA-Factory's `trainer_log.jsonl`.
  case llamaFactoryJSONL = "llamafactory-jsonl"
  /// A DeepSpeed JSON config.
  case deepSpeedConfig = "deepspeed-config"
  /// A launch command or shell script (`torchrun …`, `deepspeed …`).
  case launchScript = "launch-script"

  /// The kind of `path`, from its name; `-` is a console log.
  public static func detect(_ path: String) -> InputKind {
    if path == "-" { return .consoleLog }
    var info = stat()
    if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return .checkpointDirectory }
    let name = path.split(separator: "/").last.map(String.init) ?? path
    if name == "trainer_state.json" || (name.hasSuffix(".json") && name.contains("trainer_state")) { return .trainerState }
    if name.hasSuffix(".jsonl") && name.contains("trainer_log") { return .llamaFactoryJSONL }
    if name.hasSuffix(".json") && looksLikeTrainerState(path) { return .trainerState }
    if name.hasSuffix(".json") { return .deepSpeedConfig }
    if name.hasSuffix(".sh") || name.hasSuffix(".slurm") || name.hasSuffix(".sbatch") { return .launchScript }
    return .consoleLog
  }

  /// A renamed `trainer_state.json`: its sorted top-level keys put `"log_history"` near the start.
  private static func looksLikeTrainerState(_ path: String) -> Bool {
    // Only a regular file can be peeked at: reading a FIFO would take bytes from its real reader.
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var head = [UInt8](repeating: 0, count: 4096)
    // SAFETY: `head` is a live array of 4096 bytes for the duration of the call.
    let count = head.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    guard count > 0 else { return false }
    let needle = Array("\"log_history\"".utf8)
    return head[0..<count].firstRange(of: needle) != nil
  }
}
