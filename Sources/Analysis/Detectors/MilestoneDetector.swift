import LogParse

/// Informational findings, not alarms: epoch boundaries and the end of the warm-up.
///
/// They explain discontinuities a reader would otherwise take for trouble: the loss drop at each
/// epoch boundary of a multi-epoch SFT is expected (stability.md §0.9, Appendix B), and spikes
/// right after the warm-up peak point at the learning rate (Appendix B). Resumes and restarts are
/// raised by the analyzer, which cuts segments there.
public struct MilestoneDetector: Detector {
  var warmupReported = false

  public init() {}

  public static let description = DetectorDescription(
    id: "milestones",
    summary: "Epoch boundaries and the end of the warm-up, as information.",
    kinds: [.epochBoundary, .warmupEnd],
    triggering: [
      DetectorExample(
        "two epochs of 100 steps", ExampleLog(steps: 200, injections: [.epochs(stepsPerEpoch: 100, dropFactor: 0.8)]),
        kind: .epochBoundary, severity: .info, step: 100),
      DetectorExample(
        "a 30-step linear warm-up", ExampleLog(steps: 200, warmupSteps: 30), kind: .warmupEnd, severity: .info,
        step: 30),
    ],
    nonTriggering: [
      DetectorExample("a run without epochs or warm-up", ExampleLog(steps: 200), kind: .epochBoundary, severity: .info)
    ])

  public mutating func observe(_ point: StepPoint, context: RunContext, findings: inout FindingLog) {
    if context.atEpochBoundary, let epoch = point.record.epoch {
      findings.raise(
        Finding(
          kind: .epochBoundary, severity: .info, metric: "epoch", step: point.step, value: epoch,
          message: "epoch \(Int(epoch.rounded(.down))) ends; a loss drop here is expected with repeated data",
          evidence: [context.evidence(point.line)]))
    }
    if !warmupReported, let end = context.warmupEndStep {
      warmupReported = true
      findings.raise(
        Finding(
          kind: .warmupEnd, severity: .info, metric: "learning_rate", step: end, value: context.peakLearningRate,
          message: "warm-up ends; the learning rate peaks"
            + (context.peakLearningRate.map { " at \(Format.number($0))" } ?? ""),
          evidence: context.warmupEndLine.map { [context.evidence($0)] } ?? [], raisedAtStep: point.step))
    }
  }
}
