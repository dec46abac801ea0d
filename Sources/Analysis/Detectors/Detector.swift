public import LogParse

/// An online detector: sees one point at a time, keeps bounded state, never looks ahead to raise
/// an alert. The same code runs post-mortem and live; ``finish(series:findings:)`` may add what only
/// hindsight knows.
public protocol Detector: Sendable {
  /// The detector's identity, summary and examples.
  static var description: DetectorDescription { get }

  init()

  /// A training record, numbered, with the run's context so far.
  mutating func observe(_ point: StepPoint, context: RunContext, findings: inout FindingLog)

  /// An fp16 overflow line; `step` is its step or the best estimate (the last step seen + 1).
  mutating func observe(overflow: OverflowEvent, step: Int, context: RunContext, findings: inout FindingLog)

  /// The segment ended; annotate findings with hindsight (recovery, onset refinement).
  mutating func finish(series: RunSeries, context: RunContext, findings: inout FindingLog)
}

extension Detector {
  public mutating func observe(overflow: OverflowEvent, step: Int, context: RunContext, findings: inout FindingLog) {}
  public mutating func finish(series: RunSeries, context: RunContext, findings: inout FindingLog) {}
}

/// One numbered training record, as the detectors see it.
public struct StepPoint: Sendable {
  public var step: Int
  /// The record's position in its segment's ``RunSeries`` (for a counter line that is not stored,
  /// the position the next record will take).
  public var index: Int
  public var line: Int
  public var record: TrainingStep

  public var loss: Double? { record.loss }
  public var gradNorm: Double? { record.gradNorm }
  public var learningRate: Double? { record.learningRate }
}

/// What the run has said about itself so far: settings and phase, shared by every detector.
public struct RunContext: Sendable {
  /// The input's name, for evidence.
  public var source: String
  /// `max_grad_norm` (clipping threshold) when stated and positive.
  public var maxGradNorm: Double?
  /// HF's `logging_nan_inf_filter` when stated (HF's default is true).
  public var nanInfFilter: Bool?
  /// `warmup_steps` when stated.
  public var warmupSteps: Int?
  /// True while the learning rate has risen on every logged step so far (or the step is below
  /// `warmup_steps`): the warm-up phase, whose noise must not raise a divergence.
  public var inWarmup = true
  /// The step where the warm-up ended, once known, with its line and the peak learning rate.
  public var warmupEndStep: Int?
  public var warmupEndLine: Int?
  public var peakLearningRate: Double?
  /// Training records seen in this segment before the current one.
  public var recordsSeen = 0
  /// True on the first record of a new epoch (the integer part of `epoch` grew).
  public var atEpochBoundary = false

  public init(source: String) { self.source = source }

  public func evidence(_ line: Int) -> Evidence { Evidence(source: source, line: line) }
}

/// The findings of one segment, appended and updated in place by the detectors.
///
/// A detector keeps the index of a finding it has raised and still watches (an open spike grows
/// its `endStep`, a NaN finding may become critical); indexes stay valid for the segment.
public struct FindingLog: Sendable {
  public private(set) var findings: [Finding] = []

  public init() {}

  @discardableResult
  public mutating func raise(_ finding: Finding) -> Int {
    findings.append(finding)
    return findings.count - 1
  }

  public subscript(index: Int) -> Finding {
    get { findings[index] }
    set { findings[index] = newValue }
  }

  /// Adds a line to a finding's evidence, keeping at most ``maxEvidence`` (the first ones and the last).
  public mutating func addEvidence(_ evidence: Evidence, to index: Int) {
    var list = findings[index].evidence
    if list.last == evidence { return }
    if list.count >= Self.maxEvidence { list.removeLast() }
    list.append(evidence)
    findings[index].evidence = list
  }

  public static let maxEvidence = 6

  /// Indexes of findings withdrawn in hindsight (e.g. a recovered rise that a spike explains).
  public private(set) var withdrawn: Set<Int> = []

  /// Withdraws a finding; indexes stay valid, the diagnosis leaves it out.
  public mutating func withdraw(_ index: Int) { withdrawn.insert(index) }

  /// The findings not withdrawn.
  public var kept: [Finding] {
    withdrawn.isEmpty ? findings : findings.indices.filter { !withdrawn.contains($0) }.map { findings[$0] }
  }
}

/// A detector's identity: an id, a one-line summary, and logs that must and must not trigger it.
public struct DetectorDescription: Sendable {
  public var id: String
  public var summary: String
  public var kinds: [FindingKind]
  public var triggering: [DetectorExample]
  public var nonTriggering: [DetectorExample]

  public init(
    id: String, summary: String, kinds: [FindingKind], triggering: [DetectorExample], nonTriggering: [DetectorExample]
  ) {
    self.id = id
    self.summary = summary
    self.kinds = kinds
    self.triggering = triggering
    self.nonTriggering = nonTriggering
  }
}

/// A small example log for a detector, with what it must produce.
///
/// For a triggering example, a finding of `kind` with at least `severity` must start within
/// `tolerance` steps of `step`. For a non-triggering one, no finding of `kind` may reach `severity`.
public struct DetectorExample: Sendable {
  public var name: String
  public var log: ExampleLog
  public var kind: FindingKind
  public var severity: Severity
  public var step: Int?
  public var tolerance: Int

  public init(
    _ name: String, _ log: ExampleLog, kind: FindingKind, severity: Severity = .warning, step: Int? = nil,
    tolerance: Int = 1
  ) {
    self.name = name
    self.log = log
    self.kind = kind
    self.severity = severity
    self.step = step
    self.tolerance = tolerance
  }
}
