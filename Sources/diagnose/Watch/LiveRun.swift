import Analysis

/// What a watcher knows of one run segment right now: its latest values and the findings raised so far.
///
/// The status line and the Prometheus metrics are drawn from it. Values are the last ones logged;
/// a value a record does not carry keeps its previous reading.
struct LiveRun: Sendable, Equatable {
  var source: String
  var run: Int
  var step: Int?
  var loss: Double?
  var gradNorm: Double?
  var learningRate: Double?
  var lossScale: Double?
  var verdict: Verdict = .noData
  /// Findings raised so far, by kind and severity.
  var findingCounts: [FindingKey: Int] = [:]

  struct FindingKey: Hashable, Sendable, Comparable {
    var kind: FindingKind
    var severity: Severity

    static func < (lhs: FindingKey, rhs: FindingKey) -> Bool {
      (lhs.kind.rawValue, lhs.severity) < (rhs.kind.rawValue, rhs.severity)
    }
  }

  init(source: String, run: Int) {
    self.source = source
    self.run = run
  }

  mutating func count(_ finding: Finding) {
    findingCounts[FindingKey(kind: finding.kind, severity: finding.severity), default: 0] += 1
  }
}
