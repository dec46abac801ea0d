#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `divergence`: the loss rises and stays up — a sustained upward shift, not a spike.
///
/// CUSUM (Page 1954) on the standardised residuals of log(loss) against the trailing robust level
/// (``TrendScale``):
/// `S = max(0, S + r − k)`, alarm when `S > h` *and* the short-term level (median of the last 9
/// points) stands a material factor above its running minimum, so that a plateau's noise cannot
/// alarm however long the run. The onset is where `S` last left zero; in hindsight it is refined by
/// a hinge fit (flat-or-sloped, then rising). The reference restarts at an epoch boundary (the drop
/// or jump there is expected, stability.md §0.9) and in a new segment (a resume), and warm-up needs
/// a larger rise.
public struct DivergenceDetector: Detector {
  /// stability.md §3 recipe: CUSUM with k = 0.5 on standardised residuals.
  public static let cusumSlack = 0.5
  /// stability.md §3.1 puts h at 4–5σ for a single shift; 8 keeps a long healthy run's false-alarm
  /// rate negligible, the materiality rule below doing the rest.
  public static let cusumThreshold = 8.0
  /// The short-term level must stand 25 % above its running minimum (trainspotter uses "last ≥ 1.5×
  /// running min" for its slope test, stability.md §1.3; 1.25 catches slow divergence earlier).
  public static let materialRise = log(1.25)
  /// During warm-up, or before the window holds enough points, the loss must have doubled:
  /// early-training noise is large, a real blow-up is larger.
  public static let warmupMaterialRise = log(2.0)
  /// σ floor in log units, as for spikes.
  public static let sigmaFloor = 0.02
  /// σ assumed while the trailing window is still short: wide, so that a few noisy first points
  /// cannot accumulate a CUSUM alarm.
  public static let shortWindowSigma = 0.15
  public static let shortLevelSize = 9
  /// A recovered rise starting this close before a loss spike belongs to the spike.
  public static let spikeOverlapSteps = 50

  var trend = TrendScale(floor: sigmaFloor)
  var short = RollingWindow(capacity: shortLevelSize)
  var runningMinimum = Double.infinity
  var cusum = 0.0
  var onset: (step: Int, line: Int)?
  var open: Int?

  public init() {}

  public static let description = DetectorDescription(
    id: "divergence",
    summary:
      "Loss rising and not coming back: CUSUM on standardised log-loss residuals plus a 25 % rise over the running minimum.",
    kinds: [.divergence],
    triggering: [
      DetectorExample(
        "a slow divergence from step 250",
        ExampleLog(steps: 400, injections: [.divergence(step: 250, logSlope: 0.01)]), kind: .divergence,
        severity: .critical, step: 250),
      DetectorExample(
        "an immediate blow-up at step 2 (lr far too high)",
        ExampleLog(steps: 100, injections: [.divergence(step: 2, logSlope: 0.5)]), kind: .divergence,
        severity: .critical, step: 2),
    ],
    nonTriggering: [
      DetectorExample("a healthy noisy descent", ExampleLog(steps: 600, seed: 5, noise: 0.08), kind: .divergence),
      DetectorExample(
        "drops at epoch boundaries",
        ExampleLog(steps: 600, seed: 6, injections: [.epochs(stepsPerEpoch: 200, dropFactor: 0.6)]), kind: .divergence),
      DetectorExample(
        "a one-step spike that recovers", ExampleLog(steps: 300, injections: [.spike(step: 150, factor: 4)]),
        kind: .divergence),
      DetectorExample(
        "warm-up noise", ExampleLog(steps: 200, seed: 9, noise: 0.15, warmupSteps: 50), kind: .divergence),
    ])

  mutating func reset() {
    trend.removeAll()
    short.removeAll()
    runningMinimum = .infinity
    cusum = 0
    onset = nil
  }

  public mutating func observe(_ point: StepPoint, context: RunContext, findings: inout FindingLog) {
    guard let loss = point.loss, loss.isFinite, loss > 0 else { return }
    if context.atEpochBoundary { reset() }
    let x = log(loss)
    let settledScale = trend.scale
    let settled = settledScale != nil
    let scale = settledScale ?? trend.center.map { RobustScale(center: $0, sigma: Self.shortWindowSigma) }
    if let scale {
      cusum = max(0, cusum + scale.z(x) - Self.cusumSlack)
      if cusum == 0 {
        onset = nil
      } else if onset == nil {
        onset = (point.step, point.line)
      }
    }
    trend.add(x)
    short.add(x)
    let shortLevel = short.median ?? x
    runningMinimum = min(runningMinimum, shortLevel)
    let rise = shortLevel - runningMinimum
    let material = context.inWarmup || !settled ? Self.warmupMaterialRise : Self.materialRise
    if let open {
      findings[open].endStep = point.step
      findings[open].value = loss
      findings[open].score = max(findings[open].score ?? 0, cusum)
      if rise < Self.materialRise / 2 {
        findings[open].severity = .warning
        findings[open].message += "; the loss came back to \(Format.number(loss)) at step \(point.step)"
        findings.addEvidence(context.evidence(point.line), to: open)
        self.open = nil
        reset()
      }
    } else if cusum > Self.cusumThreshold, rise >= material, let onset {
      let baseline = exp(runningMinimum)
      open = findings.raise(
        Finding(
          kind: .divergence, severity: .critical, metric: "loss", step: onset.step, endStep: point.step, value: loss,
          baseline: baseline, score: cusum,
          message:
            "loss rises and stays up: \(Format.number(exp(shortLevel))) is \(Format.ratio(exp(rise))) its running minimum \(Format.number(baseline)) (CUSUM \(Format.fixed(cusum, 1)))",
          evidence: onset.line == point.line
            ? [context.evidence(point.line)] : [context.evidence(onset.line), context.evidence(point.line)],
          raisedAtStep: point.step))
    }
  }

  /// Refines each divergence's onset by a hinge fit around the online estimate, and withdraws a rise
  /// that came back when a loss spike inside it explains it (a spike decaying slowly is a spike).
  public mutating func finish(series: RunSeries, context: RunContext, findings: inout FindingLog) {
    for index in findings.findings.indices where findings[index].kind == .divergence {
      let finding = findings[index]
      if finding.severity < .critical,
        findings.findings.contains(where: {
          $0.kind == .lossSpike && $0.step >= finding.step - Self.spikeOverlapSteps && $0.step <= finding.endStep
        })
      {
        findings.withdraw(index)
        continue
      }
      // CUSUM leaves zero only after the rise has beaten the slack: its onset is late, not early. A
      // later knot means the rise is not a hinge (an abrupt blow-up), and the online onset stands.
      guard let refined = HingeFit.onset(series: series, near: finding.step, raisedAt: finding.raisedAtStep),
        refined < finding.step
      else { continue }
      let first = series.firstIndex(atOrAfter: refined)
      findings[index].step = refined
      if first < series.count { findings[index].evidence[0] = context.evidence(series.lines[first]) }
    }
  }
}
