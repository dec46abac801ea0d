import Foundation

@testable import LogParse

/// A fresh temporary folder for inputs that are files or folders of files.
struct TemporaryFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("hf-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// Writes `text` at `relativePath` (creating folders) and returns its path.
  @discardableResult
  func write(_ text: String, to relativePath: String) throws -> String {
    let file = url.appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
    return file.path
  }

  func remove() {
    try? FileManager.default.removeItem(at: url)
  }
}

/// Every event `InputLoader` gives for `path`.
func loadEvents(_ path: String) throws -> [LogEvent] {
  var events: [LogEvent] = []
  try InputLoader.load(path) { events.append($0) }
  return events
}

func boundaries(_ events: [LogEvent]) -> [RunBoundary] {
  events.compactMap { if case .runBoundary(let boundary) = $0 { boundary } else { nil } }
}

func summaries(_ events: [LogEvent]) -> [TrainingSummary] {
  events.compactMap { if case .trainingSummary(let summary) = $0 { summary } else { nil } }
}

