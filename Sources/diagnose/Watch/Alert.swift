import Analysis

/// A finding as a watcher raises it: when, in which log and run, and the log line behind it.
struct Alert: Sendable {
  /// Seconds since the Unix epoch when the watcher read the line that raised it.
  var time: Double
  var source: String
  var run: Int
  var finding: Finding
  /// The last evidence line: the one that made the detector fire.
  var evidenceLine: Int?
  /// That line's text, when it was in the bytes just read (without its terminator, at most
  /// ``Alert/maxEvidenceLength`` bytes).
  var evidenceText: String?

  static let maxEvidenceLength = 240
}
