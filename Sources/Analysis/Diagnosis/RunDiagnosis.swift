/// The post-mortem of one run segment: its verdict, its first bad step and its findings.
public struct RunDiagnosis: Sendable {
  public var source: String
  /// The segment's index within its source (0-based): a restart or resume starts a new one.
  public var run: Int
  /// The record formats seen (`hf-dict`, `megatron-iteration`…).
  public var formats: [String]
  public var firstStep: Int?
  public var lastStep: Int?
  /// Training records read.
  public var logged: Int
  public var verdict: Verdict
  public var firstBadStep: Int?
  public var findings: [Finding]
  /// The series, for renderers (sparklines) and hindsight.
  public var series: RunSeries

  /// The most severe finding's severity, if any.
  public var worstSeverity: Severity? { findings.map(\.severity).max() }
}

public enum Verdict: String, Sendable, Codable {
  /// Nothing above warning that says the run is in trouble.
  case healthy
  /// Spikes or storms that recovered.
  case unstable
  /// A divergence or NaN that did not recover, or the fp16 scale at its minimum.
  case diverged
  /// No training step with a loss was read.
  case noData = "no-data"
}
