public import LogParse

/// Turns one input's events into per-segment diagnoses, one event at a time.
///
/// Online: every detector sees each point once, in order, with bounded state; ``findingsSoFar``
/// is what a live watcher would show at that moment. ``finish()`` closes the last segment and adds
/// hindsight (recovery, onset refinement, verdicts). A segment ends where a run starts again or
/// resumes (a ``RunBoundary``), or where the step counter goes back.
///
/// - Complexity: O(W) per training record (W, the detectors' window, is at most 300); memory is the
///   segment's ``RunSeries`` plus the detectors' bounded windows.
public struct RunAnalyzer {
  public let source: String
  private let detectorTypes: [any Detector.Type]
  private var segment: Segment
  private var finished: [RunDiagnosis] = []
  /// Settings stated so far; they carry over to later segments of the same input.
  private var settings: RunContext

  /// Whether findings of closed segments are kept for ``takeNewFindings()``. A post-mortem that
  /// never asks passes `false` to `init`: on a long run it saves a copy of every finding.
  public let announcing: Bool

  public init(source: String, detectors: [any Detector.Type] = DetectorRegistry.all, announcing: Bool = true) {
    self.source = source
    self.announcing = announcing
    self.detectorTypes = detectors
    settings = RunContext(source: source)
    segment = Segment(index: 0, context: settings, detectors: detectors)
  }

  /// The findings raised so far in every segment, as a live watcher would see them (no hindsight).
  public var findingsSoFar: [Finding] {
    finished.flatMap(\.findings) + segment.findings.findings
  }

  /// The step of the last training record the current segment took (a repeated or other rank's
  /// copy is not taken).
  public var lastStep: Int? { segment.lastStep }

  /// The index of the segment records go to now: the `run` of the diagnosis it will become.
  public var currentRun: Int { segment.index }

  /// The current segment's verdict from its findings so far, without hindsight: a critical NaN
  /// episode counts as unstable until the segment ends and shows whether it cleared.
  public var verdictSoFar: Verdict { VerdictRule.decide(findings: segment.findings.findings, series: segment.series).0 }

  /// The findings raised since the last call, with the run (segment index) each belongs to, in the
  /// order the detectors raised them: what a live watcher alerts on. Hindsight added when a segment
  /// closes is not included.
  public mutating func takeNewFindings() -> [(run: Int, finding: Finding)] {
    let current = segment.findings.findings
    let fresh = unannounced + current[min(announced, current.count)...].map { (segment.index, $0) }
    unannounced.removeAll()
    announced = current.count
    return fresh
  }

  /// How many of the current segment's findings ``takeNewFindings()`` has handed out.
  private var announced = 0
  /// Findings of segments closed since the last ``takeNewFindings()`` that it has not handed out.
  private var unannounced: [(run: Int, finding: Finding)] = []

  public mutating func add(_ event: LogEvent) {
    switch event {
    case .trainingStep(let record):
      addRecord(record)
    case .evaluation(let evaluation):
      let step = evaluation.step ?? segment.lastStep ?? 0
      segment.series.appendEvaluation(step: step, loss: evaluation.loss, line: evaluation.location.line)
    case .setting(let setting):
      apply(setting)
    case .overflow(let overflow):
      let step = overflow.step ?? ((segment.lastStep ?? 0) + 1)
      segment.observe(overflow: overflow, step: step)
    case .runBoundary(let boundary):
      startSegment(after: boundary)
    case .trainingSummary, .note, .throughput, .configurationError, .mark:
      break
    }
  }

  /// Closes the last segment and returns every segment's diagnosis, with hindsight.
  public mutating func finish() -> [RunDiagnosis] {
    closeSegment()
    return finished
  }

  // MARK: - Settings

  private mutating func apply(_ setting: SettingEvent) {
    switch setting.name {
    case "max_grad_norm":
      settings.maxGradNorm = setting.value.doubleValue.flatMap { $0 > 0 ? $0 : nil }
    case "logging_nan_inf_filter":
      if case .bool(let value) = setting.value { settings.nanInfFilter = value }
    case "warmup_steps":
      statedWarmupSteps = setting.value.intValue.flatMap { $0 > 0 ? $0 : nil }
      settings.warmupSteps = statedWarmupSteps ?? derivedWarmupSteps
    case "warmup_ratio", "max_steps":
      if setting.name == "warmup_ratio" {
        warmupRatio = setting.value.doubleValue
      } else {
        maxSteps = setting.value.intValue
      }
      settings.warmupSteps = statedWarmupSteps ?? derivedWarmupSteps
    case "logging_steps":
      segment.loggingSteps = setting.value.intValue.flatMap { $0 > 0 ? $0 : nil } ?? segment.loggingSteps
      loggingSteps = segment.loggingSteps
    default:
      return
    }
    segment.context.maxGradNorm = settings.maxGradNorm
    segment.context.nanInfFilter = settings.nanInfFilter
    segment.context.warmupSteps = settings.warmupSteps
  }

  private var loggingSteps = 1
  private var statedWarmupSteps: Int?
  private var warmupRatio: Double?
  private var maxSteps: Int?

  /// HF's `get_warmup_steps`: ⌈max_steps × warmup_ratio⌉ when no `warmup_steps` is given.
  private var derivedWarmupSteps: Int? {
    guard let ratio = warmupRatio, ratio > 0, let maxSteps, maxSteps > 0 else { return nil }
    return Int((Double(maxSteps) * ratio).rounded(.up))
  }

  // MARK: - Segments

  private mutating func addRecord(_ record: TrainingStep) {
    // Several ranks printing the same records (`[rank1]: {'loss': …}`): keep the first rank's.
    if let rank = record.rank {
      if let primary = segment.primaryRank, primary != rank { return }
      segment.primaryRank = rank
    }
    if record.format == .deepSpeedStep, let step = record.step {
      segment.observeCounters(record, step: step)
      return
    }
    let step: Int
    if let logged = record.step {
      step = logged
    } else {
      step = segment.base + (segment.unnumbered + 1) * segment.loggingSteps
    }
    if let last = segment.lastStep, step <= last {
      // The same step again: another rank's copy or a redrawn line. Earlier: a restart or rollback.
      if step == last { return }
      let previous = last
      newSegment()
      segment.findings.raise(
        Finding(
          kind: .restart, severity: .info, metric: "step", step: step, value: Double(step),
          baseline: Double(previous),
          message: "the step counter went back from \(previous) to \(step): a restart or a rollback",
          evidence: [settings.evidence(record.location.line)]))
    }
    if record.step == nil { segment.unnumbered += 1 }
    segment.observe(record, step: step)
  }

  private mutating func startSegment(after boundary: RunBoundary) {
    let line = boundary.location.line
    switch boundary.kind {
    case .start:
      guard !segment.series.isEmpty else { return }
      newSegment()
      segment.pendingBoundary = (.restart, line, "a new training run starts in the same log")
    case .resume:
      if !segment.series.isEmpty { newSegment() }
      if let from = boundary.fromStep { segment.base = from }
      segment.pendingBoundary = (
        .resume, line, "training resumes from a checkpoint" + (boundary.fromStep.map { " at step \($0)" } ?? "")
      )
    }
  }

  /// Closes the current segment and opens the next, with the settings stated so far.
  private mutating func newSegment() {
    closeSegment()
    var context = settings
    context.source = source
    segment = Segment(index: finished.count, context: context, detectors: detectorTypes)
    segment.loggingSteps = loggingSteps
  }

  private mutating func closeSegment() {
    guard !segment.closed else { return }
    segment.closed = true
    let raised = segment.findings.findings
    if announcing, announced < raised.count { unannounced += raised[announced...].map { (segment.index, $0) } }
    announced = 0
    if segment.series.isEmpty && segment.findings.findings.isEmpty && !finished.isEmpty { return }
    finished.append(segment.diagnosis(source: source))
  }
}
