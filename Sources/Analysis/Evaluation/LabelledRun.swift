public import LogParse

/// A run with known truth: what happened, where, and what the verdict should be.
public struct LabelledRun: Sendable {
  /// One event that must be found: a finding of `kind` starting at `step`.
  public struct Expected: Sendable {
    public var kind: FindingKind
    public var step: Int

    public init(_ kind: FindingKind, at step: Int) {
      self.kind = kind
      self.step = step
    }
  }

  public var name: String
  public var events: [LogEvent]
  public var expected: [Expected]
  public var verdict: Verdict
  public var firstBadStep: Int?
  /// Kinds whose findings are neither right nor wrong here (e.g. loss spikes inside a blow-up).
  public var ignored: Set<FindingKind>
  /// The log's spacing between records, for "within one logged step".
  public var loggingSteps: Int
  /// How far `first_bad_step` may be from the truth: one logged step, unless the event cannot be
  /// placed that finely (a drift slower than the noise needs several steps to rise by one σ).
  public var firstBadStepTolerance: Int

  public init(
    name: String, events: [LogEvent], expected: [Expected], verdict: Verdict, firstBadStep: Int?,
    ignored: Set<FindingKind> = [], loggingSteps: Int = 1, firstBadStepTolerance: Int? = nil
  ) {
    self.firstBadStepTolerance = firstBadStepTolerance ?? loggingSteps
    self.name = name
    self.events = events
    self.expected = expected
    self.verdict = verdict
    self.firstBadStep = firstBadStep
    self.ignored = ignored
    self.loggingSteps = loggingSteps
  }

  /// Runs the analyzer over the events and returns its diagnoses.
  public func diagnose() -> [RunDiagnosis] {
    var analyzer = RunAnalyzer(source: name)
    for event in events { analyzer.add(event) }
    return analyzer.finish()
  }
}
