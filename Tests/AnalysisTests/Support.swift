import Foundation

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
}
