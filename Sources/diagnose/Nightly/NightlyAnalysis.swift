import Analysis
import Dispatch
import Foundation
import LogParse

/// Reads and analyses every discovered input at once, one input per task, on all cores.
///
/// Each input is independent (its own scanner, analyzer and settings) and so is quoting its
/// evidence, so both run in ``ParallelMap``. Results are kept in input order.
struct NightlyAnalysis {
  /// The inputs that were read, in discovery order.
  var inputs: [LoadedInput] = []
  /// Their run segments, with settings and quoted evidence, in the same order.
  var runs: [ReportedRun] = []
  /// Inputs that turned out empty, binary or unreadable.
  var skipped: [RunDiscovery.Skipped] = []

  init(_ paths: [String]) {
    for outcome in ParallelMap.map(paths.count, { Self.read(paths[$0]) }) {
      switch outcome {
      case .read(let input, let runs):
        inputs.append(input)
        self.runs += runs
      case .skipped(let skipped): self.skipped.append(skipped)
      }
    }
  }

  enum Outcome: Sendable {
    case read(LoadedInput, [ReportedRun])
    case skipped(RunDiscovery.Skipped)
  }

  static func read(_ path: String) -> Outcome {
    if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size == 0,
      InputKind.detect(path) != .checkpointDirectory
    {
      return .skipped(.init(path: path, reason: "empty file"))
    }
    let input = LoadedInput.load(path)
    if let error = input.error, input.runs.isEmpty {
      let reason =
        error.kind == .binary ? "binary file (NUL bytes in its first block)" : "\(error.kind.rawValue): \(error.detail)"
      return .skipped(.init(path: path, reason: reason))
    }
    return .read(input, ReportedRun.collect([input]))
  }
}
