import Analysis
import Dispatch
import Foundation
import LogParse

/// Reads and analyses every discovered input at once, one input per task, on all cores.
///
/// Each input is independent (its own scanner, analyzer and settings), so the inputs are spread over
/// `DispatchQueue.concurrentPerform`, which runs one thread per core. Results are kept in input order,
/// so the report does not depend on which thread finished first.
struct NightlyAnalysis {
  /// The inputs that were read, in discovery order.
  var inputs: [LoadedInput] = []
  /// Inputs that turned out empty, binary or unreadable.
  var skipped: [RunDiscovery.Skipped] = []

  init(_ paths: [String]) {
    let results = ResultSlots(count: paths.count)
    DispatchQueue.concurrentPerform(iterations: paths.count) { index in
      results.store(Self.read(paths[index]), at: index)
    }
    for result in results.values {
      switch result {
      case .read(let input): inputs.append(input)
      case .skipped(let skipped): self.skipped.append(skipped)
      case nil: break
      }
    }
  }

  enum Outcome: Sendable {
    case read(LoadedInput)
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
      let reason = error.kind == .binary ? "binary file (NUL bytes in its first block)" : "\(error.kind.rawValue): \(error.detail)"
      return .skipped(.init(path: path, reason: reason))
    }
    return .read(input)
  }
}

/// One slot per input, written by the task that reads that input.
///
/// SAFETY: `@unchecked Sendable` because each index is written by exactly one iteration of
/// `concurrentPerform` and read only after it returns (which waits for every iteration): no two
/// threads touch the same slot, and the lock guards the array's storage against reallocation races.
private final class ResultSlots: @unchecked Sendable {
  private var slots: [NightlyAnalysis.Outcome?]
  private let lock = NSLock()

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func store(_ outcome: NightlyAnalysis.Outcome, at index: Int) {
    lock.lock()
    slots[index] = outcome
    lock.unlock()
  }

  var values: [NightlyAnalysis.Outcome?] {
    lock.lock()
    defer { lock.unlock() }
    return slots
  }
}
