import LogParse

/// `nan`: NaN or Inf in the loss or grad-norm, including the disguises that hide them.
///
/// - A non-finite loss, or Megatron's line without `lm loss` whose `grad norm` is nan, or a
///   positive `number of nan iterations`: critical at once.
/// - HF's disguise (stability.md §0.2, §1.3): with `logging_nan_inf_filter` (HF's default) a NaN
///   step loss is replaced, so the log shows `loss` exactly 0.0 with `grad_norm` nan, or — without
///   grad_norm — a loss collapsing to 0.0 after non-zero values while the lr keeps moving: critical.
/// - A non-finite grad-norm with a finite, non-zero loss is a warning (an fp16 step the scaler
///   skipped looks like that) and becomes critical when the next logged step is non-finite too.
public struct NaNDetector: Detector {
  /// Logged non-finite points in a row after which a grad-norm-only NaN is critical.
  public static let criticalStreak = 2

  var open: Int?
  var streak = 0
  var previousLoss: Double?
  var previousLearningRate: Double?

  public init() {}

  public static let description = DetectorDescription(
    id: "nan",
    summary: "NaN/Inf in loss or grad_norm, Megatron's missing lm loss, and HF's loss 0.0 disguise.",
    kinds: [.nan],
    triggering: [
      DetectorExample(
        "NaN from step 140 behind HF's logging_nan_inf_filter (loss 0.0, grad_norm nan)",
        ExampleLog(steps: 200, injections: [.nan(step: 140, filter: true)]), kind: .nan, severity: .critical,
        step: 140),
      DetectorExample(
        "NaN from step 90 without the filter", ExampleLog(steps: 150, injections: [.nan(step: 90, filter: false)]),
        kind: .nan, severity: .critical, step: 90),
      DetectorExample(
        "loss collapsing to 0.0 with no grad_norm printed",
        {
          var log = ExampleLog(steps: 150, injections: [.nan(step: 70, filter: true)])
          log.printsGradNorm = false
          return log
        }(), kind: .nan, severity: .critical, step: 71),
      DetectorExample(
        "Megatron: no lm loss, grad norm nan",
        {
          var log = ExampleLog(steps: 150, injections: [.nan(step: 60, filter: true)])
          log.megatron = true
          return log
        }(), kind: .nan, severity: .critical, step: 60),
    ],
    nonTriggering: [
      DetectorExample(
        "one skipped fp16 step with grad_norm inf", ExampleLog(steps: 150, injections: [.infiniteGradNorm(step: 40)]),
        kind: .nan, severity: .critical),
      DetectorExample("a healthy run", ExampleLog(steps: 150), kind: .nan),
    ])

  public mutating func observe(_ point: StepPoint, context: RunContext, findings: inout FindingLog) {
    let loss = point.loss
    let gradNorm = point.gradNorm
    // A line without metrics (DeepSpeed's step counter) says nothing about NaN either way.
    if loss == nil, gradNorm == nil, point.record.nanIterations == nil { return }
    let gradBad = gradNorm.map { !$0.isFinite } ?? false
    let lrMoving = point.learningRate.map { lr in previousLearningRate.map { $0 != lr } ?? false } ?? false
    var reason: String?
    var critical = true
    if let loss, !loss.isFinite {
      reason = "loss is \(Format.number(loss))"
    } else if loss == nil, gradBad {
      reason = "no loss printed and grad norm is \(Format.number(gradNorm!)) (Megatron skips lm loss on a NaN step)"
    } else if let count = point.record.nanIterations, count > 0 {
      reason = "\(count) NaN iterations in the logging window"
    } else if loss == 0, gradBad {
      reason =
        "loss reads exactly 0.0 with grad_norm \(Format.number(gradNorm!)): HF's logging_nan_inf_filter hides NaN losses"
    } else if loss == 0, let previous = previousLoss, previous > 0, lrMoving, context.nanInfFilter != false {
      // With the filter off a NaN prints as nan; a 0.0 then is a real zero (all labels masked).
      reason =
        "loss collapsed from \(Format.number(previous)) to exactly 0.0 while the lr keeps moving: a NaN hidden by HF's logging_nan_inf_filter"
    } else if gradBad {
      reason = "grad_norm is \(Format.number(gradNorm!)) with a finite loss"
      critical = streak + 1 >= Self.criticalStreak
    }
    if let loss, loss.isFinite, loss > 0 { previousLoss = loss }
    if let lr = point.learningRate { previousLearningRate = lr }
    guard let reason else {
      open = nil
      streak = 0
      return
    }
    streak += 1
    let severity: Severity = critical ? .critical : .warning
    if let open {
      findings[open].endStep = point.step
      if severity > findings[open].severity {
        findings[open].severity = severity
        findings[open].message += "; still non-finite at step \(point.step): \(reason)"
      }
      findings.addEvidence(context.evidence(point.line), to: open)
    } else {
      let metric = loss.map { $0.isFinite && $0 != 0 } ?? false ? "grad_norm" : "loss"
      open = findings.raise(
        Finding(
          kind: .nan, severity: severity, metric: metric, step: point.step,
          value: metric == "loss" ? (loss ?? gradNorm) : gradNorm, message: reason,
          evidence: [context.evidence(point.line)]))
    }
  }

  /// Notes whether finite values came back after each NaN episode.
  public mutating func finish(series: RunSeries, context: RunContext, findings: inout FindingLog) {
    for index in findings.findings.indices where findings[index].kind == .nan {
      let next = series.firstIndex(atOrAfter: findings[index].endStep + 1)
      if next < series.count {
        findings[index].recovery = .fast
        findings[index].message += "; finite values again from step \(series.steps[next])"
      } else {
        findings[index].recovery = .never
        findings[index].message += "; non-finite until the end of the log"
      }
    }
  }
}
