import Analysis
import Dispatch
import Foundation
import LogParse

/// Reads and analyses every discovered input at once, one input per task, on all cores.
///
/// Each input is independent (its own scanner, analyzer, settings and attribution) and so is quoting
/// its evidence, so both run in ``ParallelMap``. Results, and the warnings each input gave, are kept
/// in input order.
struct NightlyAnalysis {
  /// The run segments read, with their assessments and quoted evidence, in discovery order.
  var runs: [ReportedRun] = []
  /// Inputs that turned out empty, binary or unreadable.
  var skipped: [RunDiscovery.Skipped] = []
  /// Warnings about inputs that were read (a cut line, a value that is not a number), in input order.
  var warnings: [String] = []

  init(_ paths: [String]) {
    // Inputs already share the cores; with fewer inputs than cores, each large log gets the rest.
    let threads = max(1, ParallelScan.availableCores / max(1, paths.count))
    for outcome in ParallelMap.map(paths.count, { Self.read(paths[$0], threads: threads) }) {
      switch outcome {
      case .read(let runs, let warnings):
        self.runs += runs
        self.warnings += warnings
      case .skipped(let skipped): self.skipped.append(skipped)
      }
    }
  }

  enum Outcome: Sendable {
    case read([ReportedRun], warnings: [String])
    case skipped(RunDiscovery.Skipped)
  }

  static func read(_ path: String, threads: Int = 1) -> Outcome {
    if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size == 0,
      InputKind.detect(path) != .checkpointDirectory
    {
      return .skipped(.init(path: path, reason: "empty file"))
    }
    var reporter = InputReporter()
    let held = HeldMessages()
    reporter.held = held
    var analyzer = RunAnalyzer(source: path, announcing: false)
    let inputs = RunInputs.read(path, configs: [], allowBinary: false, threads: threads, reporter: &reporter) {
      analyzer.add($0)
    }
    if inputs.failed, !inputs.readAnything, let error = inputs.error {
      let reason =
        error.kind == .binary ? "binary file (NUL bytes in its first block)" : "\(error.kind.rawValue): \(error.detail)"
      return .skipped(.init(path: path, reason: reason))
    }
    let assessments = analyzer.finish().map {
      RunAssessment(diagnosis: $0, table: inputs.table, errors: inputs.errors)
    }
    // Anchors are given once the runs of every input are sorted.
    return .read(assessments.map { ReportedRun($0, anchor: "") }, warnings: held.lines)
  }
}
