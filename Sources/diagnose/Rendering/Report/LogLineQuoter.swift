import Analysis
import Foundation

/// Reads back the log lines findings cite, so that reports can quote them.
///
/// Line numbers count `\n` as LogParse does. A line holding tqdm redraws (`\r`) is cut to its
/// fragment that names a loss, and long lines are shortened: a quote is there to be read.
enum LogLineQuoter {
  /// Characters kept of one quoted line.
  static let maximumLength = 240

  static func quotes(for evidence: [Evidence]) -> [Evidence: String] {
    var result: [Evidence: String] = [:]
    let bySource = Dictionary(grouping: Set(evidence), by: \.source)
    for (source, items) in bySource {
      let lines = lines(Set(items.map(\.line)), of: source)
      for item in items {
        if let text = lines[item.line] { result[item] = text }
      }
    }
    return result
  }

  /// The text of lines `numbers` (1-based) of the file at `path`; missing when it cannot be read.
  static func lines(_ numbers: Set<Int>, of path: String) -> [Int: String] {
    guard let last = numbers.max(), last > 0,
      let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    else { return [:] }
    var result: [Int: String] = [:]
    data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
      guard let base = bytes.baseAddress else { return }
      var line = 1
      var start = 0
      while start <= bytes.count, line <= last {
        // SAFETY: `start` stays within `bytes`, and memchr reads at most `count - start` bytes of it.
        let end =
          memchr(base + start, 0x0A, bytes.count - start).map { base.distance(to: UnsafeRawPointer($0)) }
          ?? bytes.count
        if numbers.contains(line) {
          result[line] = clean(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        }
        line += 1
        start = end + 1
      }
    }
    return result
  }

  static func clean(_ bytes: UnsafeRawBufferPointer) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    let fragments = text.split(separator: "\r", omittingEmptySubsequences: true)
    let chosen = fragments.last { $0.contains("loss") } ?? fragments.last ?? ""
    let trimmed = chosen.trimmingCharacters(in: .whitespaces)
    guard trimmed.count > maximumLength else { return trimmed }
    return String(trimmed.prefix(maximumLength)) + "…"
  }
}
