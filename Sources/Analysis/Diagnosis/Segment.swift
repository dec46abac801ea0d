import LogParse

/// One run segment being analysed: its series, detectors, context and findings.
struct Segment {
  let index: Int
  var context: RunContext
  var detectors: [any Detector]
  var series = RunSeries()
  var findings = FindingLog()
  var formats: [RecordFormat] = []
  var loggingSteps = 1
  /// The step a resumed run continues from; unnumbered records count on from it.
  var base = 0
  var unnumbered = 0
  var lastStep: Int?
  /// The rank whose records the segment keeps when a prefix names ranks.
  var primaryRank: Int?
  var closed = false
  /// A resume or restart to report at the segment's first record.
  var pendingBoundary: (kind: FindingKind, line: Int, message: String)?
  private var previousLearningRate: Double?
  private var learningRateRose = false
  private var previousEpochFloor: Double?

  init(index: Int, context: RunContext, detectors: [any Detector.Type]) {
    self.index = index
    self.context = context
    self.context.recordsSeen = 0
    self.context.inWarmup = context.warmupSteps != nil
    self.context.warmupEndStep = nil
    self.detectors = detectors.map { $0.init() }
  }

  mutating func observe(_ record: TrainingStep, step: Int) {
    if let pending = pendingBoundary {
      pendingBoundary = nil
      findings.raise(
        Finding(
          kind: pending.kind, severity: .info, metric: "step", step: step, message: pending.message,
          evidence: [context.evidence(pending.line)]))
    }
    if !formats.contains(record.format) { formats.append(record.format) }
    updatePhase(record, step: step)
    let point = StepPoint(step: step, index: series.count, line: record.location.line, record: record)
    series.append(step: step, record: record)
    for index in detectors.indices {
      detectors[index].observe(point, context: context, findings: &findings)
    }
    context.recordsSeen += 1
    lastStep = step
  }

  /// A counter line that runs beside the metric records (DeepSpeed's `step=N, skipped=K, lr=[…]`):
  /// the detectors see it, but it is not a point of the series and does not move the step counter,
  /// which HF's unnumbered dicts in the same log own.
  mutating func observeCounters(_ record: TrainingStep, step: Int) {
    if !formats.contains(record.format) { formats.append(record.format) }
    let point = StepPoint(step: step, index: series.count, line: record.location.line, record: record)
    context.atEpochBoundary = false
    for index in detectors.indices {
      detectors[index].observe(point, context: context, findings: &findings)
    }
  }

  mutating func observe(overflow: OverflowEvent, step: Int) {
    series.appendOverflow(step: step, attemptedScale: overflow.attemptedScale, newScale: overflow.newScale)
    for index in detectors.indices {
      detectors[index].observe(overflow: overflow, step: step, context: context, findings: &findings)
    }
  }

  /// Epoch boundaries and warm-up, from the record's epoch and lr (or `warmup_steps`).
  private mutating func updatePhase(_ record: TrainingStep, step: Int) {
    context.atEpochBoundary = false
    if let epoch = record.epoch, epoch.isFinite {
      // HF rounds epoch to a few decimals; a tiny slack keeps 0.9999 from counting as a new epoch.
      let floor = (epoch + 1e-6).rounded(.down)
      if let previous = previousEpochFloor, floor > previous { context.atEpochBoundary = true }
      previousEpochFloor = floor
    }
    if let warmup = context.warmupSteps {
      context.inWarmup = step < warmup
      if context.warmupEndStep == nil, step >= warmup {
        context.warmupEndStep = step
        context.warmupEndLine = record.location.line
        context.peakLearningRate = record.learningRate
      }
      return
    }
    guard let lr = record.learningRate, lr.isFinite else { return }
    if let previous = previousLearningRate, context.warmupEndStep == nil {
      if lr > previous {
        learningRateRose = true
        context.inWarmup = true
      } else {
        if learningRateRose, let last = lastStep {
          context.warmupEndStep = last
          context.warmupEndLine = series.lines.last
          context.peakLearningRate = previous
        }
        context.inWarmup = false
      }
    }
    previousLearningRate = lr
  }

  mutating func diagnosis(source: String) -> RunDiagnosis {
    for index in detectors.indices {
      detectors[index].finish(series: series, context: context, findings: &findings)
    }
    // Sort positions, not findings: a long run has tens of thousands, and each copy of them costs
    // megabytes at the report's peak.
    let kept = findings.kept
    let sorted = kept.indices.sorted { (kept[$0].step, $0) < (kept[$1].step, $1) }.map { kept[$0] }
    let (verdict, firstBad) = VerdictRule.decide(findings: sorted, series: series)
    return RunDiagnosis(
      source: source, run: index, formats: formats.map(\.rawValue), firstStep: series.steps.first,
      lastStep: series.steps.last, logged: series.count, verdict: verdict, firstBadStep: firstBad, findings: sorted,
      series: series)
  }
}
