import Foundation

@testable import LogParse

/// Scans `text` as a log file with the console formats; returns every event.
func scanEvents(_ text: String, readSize: Int = ChunkReader.defaultReadSize) throws -> [LogEvent] {
  try scanEvents(bytes: Array(text.utf8), readSize: readSize)
}

func scanEvents(bytes: [UInt8], readSize: Int = ChunkReader.defaultReadSize) throws -> [LogEvent] {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString).log")
  try Data(bytes).write(to: url)
  defer { try? FileManager.default.removeItem(at: url) }
  var events: [LogEvent] = []
  _ = try LogScanner.scanFile(url.path, readSize: readSize) { events.append($0) }
  return events
}

func trainingSteps(_ events: [LogEvent]) -> [TrainingStep] {
  events.compactMap { if case .trainingStep(let step) = $0 { step } else { nil } }
}

func evaluations(_ events: [LogEvent]) -> [Evaluation] {
  events.compactMap { if case .evaluation(let evaluation) = $0 { evaluation } else { nil } }
}

func notes(_ events: [LogEvent]) -> [ParseNote] {
  events.compactMap { if case .note(let note) = $0 { note } else { nil } }
}

/// The shared corpus (`../shared/corpus` beside the clone, or `$DIAGNOSE_SHARED/corpus`), when present.
enum SharedCorpus {
  static let root: URL? = {
    let environment = ProcessInfo.processInfo.environment["DIAGNOSE_SHARED"].map { URL(fileURLWithPath: $0) }
    let beside = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("shared")
    for candidate in [environment, beside].compactMap({ $0 }) {
      let corpus = candidate.appendingPathComponent("corpus/public")
      if FileManager.default.fileExists(atPath: corpus.path) { return candidate.appendingPathComponent("corpus") }
    }
    return nil
  }()

  static var isAvailable: Bool { root != nil }

  /// The public corpus file whose name starts with `prefix` (e.g. "07-").
  static func publicFile(_ prefix: String) -> URL? {
    guard let directory = root?.appendingPathComponent("public"),
      let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
    else { return nil }
    return names.sorted().first { $0.hasPrefix(prefix) && !$0.hasSuffix(".source.txt") }
      .map { directory.appendingPathComponent($0) }
  }
}
