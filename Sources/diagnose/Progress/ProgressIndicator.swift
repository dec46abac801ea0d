#if canImport(Glibc)
  import Glibc
#endif

import LogParse

/// A one-line progress report on standard error while a long input is read: bytes read, MB/s, and
/// the percentage and time left when the size is known.
///
/// It shows only when standard error is a terminal, the command was not given `--no-progress`, and
/// the input is large (a regular file of ``minimumBytes`` or more; a pipe once that much has passed
/// through it). The line is redrawn in place with `\r` at most every ``redrawInterval`` seconds and
/// erased when the input ends, or before a warning is written, so that nothing of it is left in
/// the terminal or in a redirected stream.
///
/// Example: `diagnose: train.log: 412 MB of 1074 MB (38 %), 402 MB/s, ETA 2 s`
struct ProgressIndicator {
  /// Inputs smaller than this read in well under a second: a progress line would only flicker.
  static let minimumBytes: Int64 = 100_000_000
  /// A few redraws a second: enough to see it move, few enough not to cost anything.
  static let redrawInterval = 0.25
  /// Bytes between two looks at the clock, so that a million events do not read it a million times.
  static let checkEveryBytes: Int64 = 1 << 20

  let source: String
  /// The input's size when it is a regular file; `nil` for a pipe.
  let total: Int64?
  /// Whether the indicator may draw at all (terminal, not disabled, not a small file).
  let active: Bool
  private let clock: () -> Double
  private let write: (String) -> Void
  private let started: Double
  private var lastDraw: Double
  private var nextCheck: Int64 = 0
  /// Whether a progress line is on the terminal now.
  private(set) var visible = false

  init(
    source: String, total: Int64?, isTerminal: Bool, enabled: Bool, clock: @escaping () -> Double,
    write: @escaping (String) -> Void
  ) {
    self.source = source
    self.total = total
    active = enabled && isTerminal && (total.map { $0 >= Self.minimumBytes } ?? true)
    self.clock = clock
    self.write = write
    started = clock()
    lastDraw = started
  }

  /// The indicator for reading `path` (`-` for standard input) in this process.
  init(path: String, enabled: Bool) {
    self.init(
      source: path, total: ParallelScan.regularFileSize(path), isTerminal: isatty(STDERR_FILENO) == 1, enabled: enabled,
      clock: Self.monotonicSeconds, write: StandardError.write)
  }

  /// Notes that the input has been read up to byte `bytes`; redraws the line when it is time.
  mutating func update(bytes: Int64) {
    guard active, bytes >= nextCheck else { return }
    nextCheck = bytes + Self.checkEveryBytes
    // A pipe of unknown length shows once it has proved long.
    if total == nil, bytes < Self.minimumBytes { return }
    let now = clock()
    guard now - lastDraw >= Self.redrawInterval else { return }
    lastDraw = now
    write("\r" + Self.line(source: source, bytes: bytes, total: total, elapsed: now - started) + Self.clearToEnd)
    visible = true
  }

  /// Erases the line (before a warning is written, or at the end).
  mutating func clear() {
    guard visible else { return }
    write("\r" + Self.clearToEnd)
    visible = false
  }

  /// ANSI "erase to the end of the line": a shorter line leaves nothing of a longer one behind.
  static let clearToEnd = "\u{1B}[K"

  /// The text of the progress line.
  static func line(source: String, bytes: Int64, total: Int64?, elapsed: Double) -> String {
    let megabytes = Double(bytes) / 1e6
    let rate = elapsed > 0 ? megabytes / elapsed : 0
    var text = "diagnose: \(source): \(Int(megabytes)) MB"
    if let total, total > 0 {
      let percent = min(100, Int(Double(bytes) * 100 / Double(total)))
      text += " of \(Int(Double(total) / 1e6)) MB (\(percent) %)"
    } else {
      text += " read"
    }
    text += ", \(Int(rate.rounded())) MB/s"
    if let total, rate > 0, bytes < total {
      text += ", ETA " + duration(Double(total - bytes) / 1e6 / rate)
    }
    return text
  }

  /// `7 s`, `3 min 5 s`.
  static func duration(_ seconds: Double) -> String {
    let whole = Int(seconds.rounded(.up))
    return whole < 60 ? "\(whole) s" : "\(whole / 60) min \(whole % 60) s"
  }

  static func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }
}
