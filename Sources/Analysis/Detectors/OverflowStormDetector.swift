public import LogParse

/// `overflow_storm` and `skipped_steps`: fp16 overflows (skipped steps) piling up after the start-up
/// calibration.
///
/// After calibration DeepSpeed's scaler overflows about once per `loss_scale_window` (1000 steps by
/// default) when it tries a larger scale: isolated late overflows are normal. Several within a few
/// dozen steps mean the fp16 range no longer fits (stability.md §1.3, Appendix B: switch to bf16 or
/// raise `initial_scale_power`). Counted from overflow lines, Megatron's per-window `number of
/// skipped iterations`, and DeepSpeed's cumulative `skipped=` on its step lines.
public struct OverflowStormDetector: Detector {
  /// Late overflows within ``windowSteps`` steps that make a storm.
  public static let stormCount = 4
  /// …and that make it critical.
  public static let criticalCount = 10
  /// stability.md §1.3 "after the first few dozen steps": a storm is counted over 50 steps.
  public static let windowSteps = 50
  /// DeepSpeed's cumulative `skipped=` growing by more than 1 % of the steps over the trailing
  /// `loss_scale_window` (1000 steps by default, log-formats.md §2.4): ten times the normal
  /// once-per-window growth probe.
  public static let skippedShare = 0.01
  public static let skippedWindowSteps = 1000

  var calibration = LossScaleCalibration()
  var recent: [Int] = []
  var storm: Int?
  var skippedFinding: Int?
  /// DeepSpeed's cumulative counts over the last ``skippedWindowSteps`` steps.
  var cumulativeHistory = StepWindow()

  public init() {}

  public static let description = DetectorDescription(
    id: "overflow_storm",
    summary: "fp16 overflows or skipped steps piling up after the start-up loss-scale calibration.",
    kinds: [.overflowStorm, .skippedSteps],
    triggering: [
      DetectorExample(
        "six overflows in 20 steps late in the run",
        ExampleLog(
          steps: 400,
          injections: [.overflows(initialPower: 16, calibration: 3, late: [300, 303, 306, 309, 312, 315, 318])]),
        kind: .overflowStorm, step: 300, tolerance: 1)
    ],
    nonTriggering: [
      DetectorExample(
        "the start-up halving run from 2^32 and one growth probe later",
        ExampleLog(steps: 400, injections: [.overflows(initialPower: 32, calibration: 16, late: [300])]),
        kind: .overflowStorm)
    ])

  public mutating func observe(_ point: StepPoint, context: RunContext, findings: inout FindingLog) {
    calibration.record(hasLoss: point.loss != nil)
    let record = point.record
    guard let skipped = record.skipped, skipped >= 0 else { return }
    if record.format == .deepSpeedStep {
      cumulative(skipped, at: point, context: context, findings: &findings)
    } else if skipped > 0, !calibration.skips(atStep: point.step) {
      for _ in 0..<skipped { late(step: point.step, line: point.line, context: context, findings: &findings) }
    }
  }

  private mutating func cumulative(_ skipped: Int, at point: StepPoint, context: RunContext, findings: inout FindingLog)
  {
    if let last = cumulativeHistory.last, skipped > last.skipped, calibration.skips(atStep: point.step) {
      cumulativeHistory.removeAll()
      cumulativeHistory.append((point.step, skipped))
      return
    }
    cumulativeHistory.append((point.step, skipped))
    cumulativeHistory.removeAll(before: point.step - Self.skippedWindowSteps)
    guard let first = cumulativeHistory.first, point.step > first.step else { return }
    let late = skipped - first.skipped
    let share = Double(late) / Double(point.step - first.step)
    guard late >= Self.stormCount, share > Self.skippedShare else { return }
    let message =
      "DeepSpeed skipped \(late) of the \(point.step - first.step) steps up to step \(point.step) (\(skipped) in all): fp16 overflows late in the run"
    if let open = skippedFinding {
      findings[open].endStep = point.step
      findings[open].value = Double(skipped)
      findings[open].score = max(findings[open].score ?? 0, share)
      findings[open].message = message
      findings.addEvidence(context.evidence(point.line), to: open)
    } else {
      // The episode starts at the first line in the window whose count grew.
      let start =
        zip(cumulativeHistory.entries, cumulativeHistory.entries.dropFirst()).first { $0.1.skipped > $0.0.skipped }?.1
        .step
        ?? point.step
      skippedFinding = findings.raise(
        Finding(
          kind: .skippedSteps, severity: .warning, metric: "skipped", step: start, endStep: point.step,
          value: Double(skipped), baseline: Double(first.skipped), score: share, message: message,
          evidence: [context.evidence(point.line)], raisedAtStep: point.step))
    }
  }

  public mutating func observe(overflow: OverflowEvent, step: Int, context: RunContext, findings: inout FindingLog) {
    guard overflow.kind != .minimumReached else { return }
    if calibration.overflow(step: overflow.step, attempted: overflow.attemptedScale, new: overflow.newScale) { return }
    late(step: step, line: overflow.location.line, context: context, findings: &findings)
  }

  private mutating func late(step: Int, line: Int, context: RunContext, findings: inout FindingLog) {
    recent.append(step)
    recent.removeAll { $0 < step - Self.windowSteps }
    let count = recent.count
    if let storm, findings[storm].endStep >= step - Self.windowSteps {
      findings[storm].endStep = max(findings[storm].endStep, step)
      let total = (findings[storm].value ?? 0) + 1
      findings[storm].value = total
      findings[storm].score = max(findings[storm].score ?? 0, Double(count))
      if count >= Self.criticalCount { findings[storm].severity = .critical }
      findings[storm].message = Self.message(total: Int(total), from: findings[storm].step, to: step)
      findings.addEvidence(context.evidence(line), to: storm)
    } else if count >= Self.stormCount {
      storm = findings.raise(
        Finding(
          kind: .overflowStorm, severity: .warning, metric: "loss_scale", step: recent[0], endStep: step,
          value: Double(count), baseline: Double(Self.stormCount), score: Double(count),
          message: Self.message(total: count, from: recent[0], to: step), evidence: [context.evidence(line)],
          raisedAtStep: step))
    }
  }

  static func message(total: Int, from: Int, to: Int) -> String {
    "\(total) fp16 overflows (skipped steps) after the start-up calibration"
      + (from == to ? " within \(windowSteps) steps" : ", steps \(from)–\(to)")
  }
}
