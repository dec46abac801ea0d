/// Launch commands that a log itself shows, read like a launch script (``LaunchScriptReader``):
///
/// - DeepSpeed's runner: `[runner.py:585:main] cmd = /…/python -u -m deepspeed.launcher.launch
///   --world_info=… train.py --deepspeed ds.json …`;
/// - a shell trace (`set -x`): `+ torchrun --nproc_per_node 8 train.py …`;
/// - a command pasted after a shell prompt: `(env) [gpu05]$ deepspeed --num_gpus=4 train.py …`.
///
/// Settings come out with ``SettingSource/launchCommand`` at the line of the command. A value
/// already stated by an earlier command line is not repeated (every node of a multi-node job may
/// print the same command; the ``LogSequencer`` drops the copies). Variables a traced command could not expand are left out silently:
/// a log line is evidence, not a script to resolve.
public final class LaunchCommandLineFormat: LogFormat {
  public let name = "launch-command-line"
  public var readsFromAnyLine: Bool { true }
  /// One pattern per shape, run on a candidate's segment only (the anchor sweep finds them).
  private var runner: Matcher
  private var trace: Matcher
  private var prompt: Matcher

  public init() {
    let launcher = "(?:torchrun|deepspeed|accelerate|srun|python)"
    runner = try! Pattern(#"(?<=\] cmd )= "#).makeMatcher()
    trace = try! Pattern(#"^\++ (?=\S*"# + launcher + ")", options: .multiline).makeMatcher()
    prompt = try! Pattern(#"\$ (?="# + launcher + ")").makeMatcher()
  }

  /// A prompt is anchored with each launcher's name (`$ torchrun`): `$ ` alone would leave the
  /// sweep a two-byte fingerprint.
  public var anchors: [Anchor] {
    [Anchor("] cmd = "), Anchor("+ ")] + Self.launchers.map { Anchor("$ " + $0.description) }
  }

  private static let launchers: [StaticString] = ["torchrun", "deepspeed", "accelerate", "srun", "python"]

  /// The runner's line is a candidate at its `=`; a trace at the start of its line of pluses, when
  /// a launcher's name follows within the command word; a prompt at its `$` (what `search` matches).
  public func candidates(from hits: [AnchorHit], in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    for hit in hits {
      switch hit.anchor {
      case 0: offsets.append(hit.offset + 6)
      case 1:
        var start = hit.offset
        while start > 0, bytes[start - 1] == UInt8(ascii: "+") { start -= 1 }
        guard AnchorCheck.isLineStart(bytes, start) else { continue }
        let word = hit.offset + 2
        let wordEnd = AnchorCheck.nonSpaceEnd(bytes, from: word)
        let named = (word..<wordEnd).contains { at in
          Self.launchers.contains { ByteText.hasPrefix(bytes, $0, at: at) && at + $0.utf8CodeUnitCount <= wordEnd }
        }
        if named { offsets.append(start) }
      default: offsets.append(hit.offset)
      }
    }
  }

  private func search(_ shape: Int, _ bytes: UnsafeRawBufferPointer, from start: Int) -> Range<Int>? {
    switch shape {
    case 0: try? runner.firstMatch(in: bytes, from: start)
    case 1: try? trace.firstMatch(in: bytes, from: start)
    default: try? prompt.firstMatch(in: bytes, from: start)
    }
  }

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    guard let match = search(0, bytes, from: 0) ?? search(1, bytes, from: 0) ?? search(2, bytes, from: 0) else {
      return .done
    }
    // The match ends where the command starts: after `cmd = `, the trace's pluses or the prompt.
    let command = Array(ByteText.slice(bytes, match.upperBound..<bytes.count))
    var unresolved: [(flag: String, names: [String], line: Int)] = []
    LaunchScriptReader.read(
      command,
      into: { event in
        guard case .setting(var setting) = event else { return }
        setting.location = segment.location
        events.append(
          .mark(SequenceMark(location: segment.location, kind: .once("\(self.name) \(setting.name)=\(setting.value)"))))
        events.append(.setting(setting))
      }, unresolved: &unresolved)
    return .done
  }
}
