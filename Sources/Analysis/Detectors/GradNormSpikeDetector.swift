#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `grad_norm_spike`: a logged grad-norm far above its trailing robust level, scored in log space.
///
/// Grad-norm is the leading indicator (stability.md §0.1): its spikes come 1–8 steps before the
/// loss's. Alone a grad-norm spike is a warning, never critical — clipping absorbs most of them and
/// healthy warm-ups show large ones; the diagnosis marks a co-spike when a loss spike follows.
public struct GradNormSpikeDetector: Detector {
  /// stability.md §1.3: one-sided robust z on log(grad_norm) > 6 (the co-spike rule's threshold).
  public static let warningZ = 6.0
  /// …and at least twice the trailing median: grad-norm moves in bursts during and after warm-up
  /// (corpus runs 01, 04, 07: 1.5–1.7× bumps at z 7–10 in healthy runs), so z alone is too eager
  /// (stability.md §1.3: a ratio test "loss/median > 1.5–3" next to z).
  public static let minimumRatio = 2.0
  /// σ floor in log units (5 %): grad-norm is noisier than loss and a smooth one must not alarm on wiggles.
  public static let sigmaFloor = 0.05
  /// Wortsman et al. 2023 (stability.md §0.1): loss spikes follow 1–8 iterations after the grad-norm's.
  public static let coSpikeLagSteps = 8

  var tracker = RobustSpikeTracker(sigmaFloor: sigmaFloor)

  public init() {}

  public static let description = DetectorDescription(
    id: "grad_norm_spike",
    summary:
      "Grad-norm far above its trailing median (robust z of log grad_norm > 6 and ≥ 2×); marks co-spikes with loss.",
    kinds: [.gradNormSpike],
    triggering: [
      DetectorExample(
        "a 5x grad-norm spike leading a loss spike",
        ExampleLog(steps: 200, injections: [.spike(step: 100, factor: 3, gradFactor: 5)]), kind: .gradNormSpike,
        step: 99),
      DetectorExample(
        "a 5x grad-norm jump in a 12-record excerpt (short window)",
        ExampleLog(steps: 12, injections: [.spike(step: 9, factor: 1, gradFactor: 5)]), kind: .gradNormSpike, step: 8),
    ],
    nonTriggering: [
      DetectorExample("healthy grad-norm noise", ExampleLog(steps: 400, seed: 11), kind: .gradNormSpike)
    ])

  public mutating func observe(_ point: StepPoint, context: RunContext, findings: inout FindingLog) {
    guard let gradNorm = point.gradNorm, gradNorm.isFinite, gradNorm > 0 else { return }
    guard let (z, scale) = tracker.score(gradNorm) else { return }
    guard z > Self.warningZ, gradNorm >= Self.minimumRatio * exp(scale.center) else {
      tracker.open = nil
      return
    }
    let baseline = exp(scale.center)
    let message =
      "grad_norm \(Format.number(gradNorm)) is \(Format.ratio(gradNorm / baseline)) the trailing median \(Format.number(baseline)) (robust z \(Format.fixed(z, 1)))"
    if let open = tracker.open {
      findings[open].endStep = point.step
      if z > findings[open].score ?? 0 {
        findings[open].value = gradNorm
        findings[open].score = z
        findings[open].message = message
      }
      findings.addEvidence(context.evidence(point.line), to: open)
    } else {
      let index = findings.raise(
        Finding(
          kind: .gradNormSpike, severity: .warning, metric: "grad_norm", step: point.step, value: gradNorm,
          baseline: baseline, score: z, message: message, evidence: [context.evidence(point.line)]))
      tracker.open = index
    }
  }

  /// Pairs each grad-norm spike with a loss spike starting at most ``coSpikeLagSteps`` later.
  public mutating func finish(series: RunSeries, context: RunContext, findings: inout FindingLog) {
    let lossSpikes = findings.findings.indices.filter { findings[$0].kind == .lossSpike }
    for index in findings.findings.indices where findings[index].kind == .gradNormSpike {
      let start = findings[index].step
      guard
        let partner = lossSpikes.first(where: {
          findings[$0].step >= start && findings[$0].step <= findings[index].endStep + Self.coSpikeLagSteps
        })
      else { continue }
      findings[index].coSpikeStep = findings[partner].step
      findings[index].message += "; the loss spikes at step \(findings[partner].step)"
      if findings[partner].coSpikeStep == nil {
        findings[partner].coSpikeStep = start
        findings[partner].message +=
          start == findings[partner].step ? "; grad_norm spiked with it" : "; grad_norm spiked first, at step \(start)"
      }
    }
  }
}
