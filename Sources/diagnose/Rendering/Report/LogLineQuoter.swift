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
  ///
  /// The file is read in blocks of ``blockSize`` through one buffer, not mapped: walking a mapped
  /// 1 GB log to its last cited line made every page of it resident (1.1 GB peak RSS for a report).
  static func lines(_ numbers: Set<Int>, of path: String) -> [Int: String] {
    guard let last = numbers.max(), last > 0 else { return [:] }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return [:] }
    defer { close(descriptor) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
    defer { buffer.deallocate() }
    var result: [Int: String] = [:]
    var line = 1
    // The bytes of the current line when it is one to quote (it may span several blocks).
    var wanted: [UInt8]? = numbers.contains(1) ? [] : nil
    reading: while line <= last {
      let count = read(descriptor, buffer.baseAddress, blockSize)
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { break }
      // SAFETY: `read` filled the first `count` bytes of `buffer`; every index below stays under `count`.
      let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
      var start = 0
      while start < count {
        let newline = memchr(bytes.baseAddress! + start, 0x0A, count - start).map {
          bytes.baseAddress!.distance(to: UnsafeRawPointer($0))
        }
        let end = newline ?? count
        if wanted != nil, wanted!.count < maximumLineBytes {
          wanted!.append(contentsOf: bytes[start..<min(end, start + maximumLineBytes - wanted!.count)])
        }
        guard let newline else { continue reading }
        if let text = wanted { result[line] = text.withUnsafeBytes(clean) }
        line += 1
        if line > last { break reading }
        wanted = numbers.contains(line) ? [] : nil
        start = newline + 1
      }
    }
    // The last line, when the file does not end with a newline (or a line number one past its end).
    if line <= last, let text = wanted { result[line] = text.withUnsafeBytes(clean) }
    return result
  }

  /// Bytes read at a time.
  static let blockSize = 1 << 20
  /// Bytes kept of one line before it is cleaned: LogParse's own line cap.
  static let maximumLineBytes = 1 << 20

  static func clean(_ bytes: UnsafeRawBufferPointer) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    let fragments = text.split(separator: "\r", omittingEmptySubsequences: true)
    let chosen = fragments.last { $0.contains("loss") } ?? fragments.last ?? ""
    let trimmed = chosen.trimmingCharacters(in: .whitespaces)
    guard trimmed.count > maximumLength else { return trimmed }
    return String(trimmed.prefix(maximumLength)) + "…"
  }
}
