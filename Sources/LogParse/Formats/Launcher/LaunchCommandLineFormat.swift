/// Launch commands that a log itself shows, read like a launch script (``LaunchScriptReader``):
///
/// - DeepSpeed's runner: `[runner.py:585:main] cmd = /…/python -u -m deepspeed.launcher.launch
///   --world_info=… train.py --deepspeed ds.json …`;
/// - a shell trace (`set -x`): `+ torchrun --nproc_per_node 8 train.py …`;
/// - a command pasted after a shell prompt: `(env) [gpu05]$ deepspeed --num_gpus=4 train.py …`.
///
/// Settings come out with ``SettingSource/launchCommand`` at the line of the command. A value
/// already stated by an earlier command line is not repeated (every node of a multi-node job may
/// print the same command). Variables a traced command could not expand are left out silently:
/// a log line is evidence, not a script to resolve.
public final class LaunchCommandLineFormat: LogFormat {
  public let name = "launch-command-line"
  private var candidates: Matcher
  private var seen: Set<String> = []

  public init() {
    // '=', '+' and '$' are rare bytes: PCRE2 JIT's start-of-match search skips most of a chunk
    // (performance.md item 5).
    candidates = try! Pattern(
      #"(?<=\] cmd )= |^\++ (?=\S*(?:torchrun|deepspeed|accelerate|srun|python))|\$ (?=(?:torchrun|deepspeed|accelerate|srun|python))"#,
      options: .multiline
    ).makeMatcher()
  }

  public func findCandidates(in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    var start = 0
    while let match = try? candidates.firstMatch(in: bytes, from: start) {
      offsets.append(match.lowerBound)
      start = match.upperBound
    }
  }

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    guard let match = try? candidates.firstMatch(in: bytes) else { return .done }
    // The match ends where the command starts: after `cmd = `, the trace's pluses or the prompt.
    let command = Array(ByteText.slice(bytes, match.upperBound..<bytes.count))
    var unresolved: [(flag: String, names: [String], line: Int)] = []
    LaunchScriptReader.read(
      command,
      into: { event in
        guard case .setting(var setting) = event, self.seen.insert("\(setting.name)=\(setting.value)").inserted else {
          return
        }
        setting.location = segment.location
        events.append(.setting(setting))
      }, unresolved: &unresolved)
    return .done
  }
}
