#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `loss_spike`: a logged loss far above the trailing robust level, scored in log space.
///
/// One finding per spike episode (consecutive points above the warning threshold); its `value` is the
/// peak, `baseline` the trailing median, `score` the peak robust z. In hindsight each spike is
/// classified by recovery (fast / slow / none, stability.md §0.8).
public struct LossSpikeDetector: Detector {
  /// stability.md §1.3 and §3 recipe: warning at z > 6 (trainspotter, OLMo-core 6σ).
  public static let warningZ = 6.0
  /// stability.md §1.3 and §3: error at z > 8 (the calibrated W&B watcher's LOSS-SPIKE rule).
  public static let criticalZ = 8.0
  /// Megatron's `SPIKY_LOSS_FACTOR = 10`: a loss 10× the trailing level is critical whatever z says (§1.2).
  public static let criticalRatio = 10.0
  /// …and at least 20 % above it: on a smooth curve z alone flags bumps nobody would call a spike
  /// (a healthy 1 M-step synthetic run at 3 % noise showed one 1.16× point at z 6.4). stability.md
  /// §1.3 pairs z with a ratio test "loss/median > 1.5–3 for very smooth curves"; 1.2 is the
  /// lenient end, as z does most of the work.
  public static let minimumRatio = 1.2
  /// σ floor in log units (2 %): a very smooth curve (logging_steps averages, MAD ≈ 0) must rise by
  /// at least 12 % to warn and 17 % to be critical, instead of alarming on every wiggle
  /// (stability.md §3 recipe: "robust σ from trailing MAD, floored at a small constant").
  public static let sigmaFloor = 0.02
  /// A spike has recovered when the loss is back within this many σ of the pre-spike median (§1.3).
  public static let recoveryBand = 3.0

  var tracker = RobustSpikeTracker(sigmaFloor: sigmaFloor)

  public init() {}

  public static let description = DetectorDescription(
    id: "loss_spike",
    summary: "Loss far above its trailing median (robust z of log loss > 6 and ≥ 1.2× warning; > 8 or ≥ 10× critical).",
    kinds: [.lossSpike],
    triggering: [
      DetectorExample(
        "a 3x one-step spike in a noisy descent",
        ExampleLog(steps: 200, injections: [.spike(step: 120, factor: 3)]), kind: .lossSpike, severity: .critical,
        step: 120),
      DetectorExample(
        "a 2x spike that takes 30 steps to recover, on 5% noise",
        ExampleLog(steps: 300, seed: 7, noise: 0.05, injections: [.spike(step: 150, factor: 2, recoverySteps: 30)]),
        kind: .lossSpike, step: 150),
    ],
    nonTriggering: [
      DetectorExample("a healthy noisy descent", ExampleLog(steps: 400, seed: 3, noise: 0.06), kind: .lossSpike),
      DetectorExample(
        "the drop at each epoch boundary",
        ExampleLog(steps: 300, seed: 4, injections: [.epochs(stepsPerEpoch: 100, dropFactor: 0.7)]), kind: .lossSpike),
    ])

  public mutating func observe(_ point: StepPoint, context: RunContext, findings: inout FindingLog) {
    guard let loss = point.loss, loss.isFinite, loss > 0 else { return }
    guard let (z, scale) = tracker.score(loss) else { return }
    let baseline = exp(scale.center)
    let ratio = loss / baseline
    let spiking = (z > Self.warningZ && ratio >= Self.minimumRatio) || ratio >= Self.criticalRatio
    if spiking {
      let severity: Severity = z > Self.criticalZ || ratio >= Self.criticalRatio ? .critical : .warning
      if let open = tracker.open {
        var finding = findings[open]
        finding.endStep = point.step
        if z > finding.score ?? 0 {
          finding.value = loss
          finding.score = z
          finding.severity = max(finding.severity, severity)
          finding.message = Self.message(loss: loss, baseline: baseline, z: z)
        }
        findings[open] = finding
        findings.addEvidence(context.evidence(point.line), to: open)
      } else {
        let index = findings.raise(
          Finding(
            kind: .lossSpike, severity: severity, metric: "loss", step: point.step, value: loss, baseline: baseline,
            score: z, message: Self.message(loss: loss, baseline: baseline, z: z),
            evidence: [context.evidence(point.line)]))
        tracker.open = index
      }
    } else {
      tracker.open = nil
    }
  }

  static func message(loss: Double, baseline: Double, z: Double) -> String {
    "loss \(Format.number(loss)) is \(Format.ratio(loss / baseline)) the trailing median \(Format.number(baseline)) (robust z \(Format.fixed(z, 1)))"
  }

  public mutating func finish(series: RunSeries, context: RunContext, findings: inout FindingLog) {
    for index in findings.findings.indices where findings[index].kind == .lossSpike {
      let finding = findings[index]
      guard let baseline = finding.baseline, let peak = finding.value, let z = finding.score, z > 0 else { continue }
      // σ in log units, recovered from the stored peak and z.
      let sigma = log(peak / baseline) / z
      let limit = log(baseline) + Self.recoveryBand * sigma
      let recovery = SpikeRecovery.classify(series.losses, in: series, after: finding.endStep, limitLog: limit)
      findings[index].recovery = recovery.recovery
      if let back = recovery.step {
        findings[index].message += "; back to normal at step \(back) (\(recovery.recovery.rawValue) recovery)"
      } else if recovery.recovery == .never {
        findings[index].message += "; never back to the pre-spike level"
      }
    }
  }
}
