import LogParse

/// `clip_saturation`: too many recent steps have a pre-clip grad-norm above `max_grad_norm`.
///
/// HF and Megatron log the pre-clip norm (stability.md §0.3), so the share of steps above the
/// threshold is the share of clipped steps. Needs `max_grad_norm` from the settings.
public struct ClipSaturationDetector: Detector {
  /// stability.md §1.3 / §3: "CLIP > 5 % of last 300" (the calibrated watcher; healthy ≤ 0.5 %).
  public static let alertShare = 0.05
  /// The episode ends when the share falls below half the alert share (hysteresis, so one episode
  /// is one finding).
  public static let clearShare = 0.025
  public static let windowSize = 300
  /// A share over fewer points is too noisy to alert on.
  public static let minimumPoints = 50

  private var ring: [Bool] = []
  private var head = 0
  private var above = 0
  private var open: Int?

  public init() {}

  public static let description = DetectorDescription(
    id: "clip_saturation",
    summary: "More than 5 % of the last 300 steps had a pre-clip grad_norm above max_grad_norm.",
    kinds: [.clipSaturation],
    triggering: [
      DetectorExample(
        "grad-norm creeping above the clip threshold",
        ExampleLog(
          steps: 400, injections: [.setting("max_grad_norm", .double(1.2)), .gradNormLevel(step: 200, factor: 1.6)]),
        kind: .clipSaturation, step: 214, tolerance: 15)
    ],
    nonTriggering: [
      DetectorExample(
        "grad-norm well under the threshold",
        ExampleLog(steps: 400, injections: [.setting("max_grad_norm", .double(1.2))]), kind: .clipSaturation),
      DetectorExample(
        "no max_grad_norm stated", ExampleLog(steps: 400, injections: [.gradNormLevel(step: 100, factor: 3)]),
        kind: .clipSaturation),
    ])

  public mutating func observe(_ point: StepPoint, context: RunContext, findings: inout FindingLog) {
    guard let limit = context.maxGradNorm, let gradNorm = point.gradNorm, gradNorm.isFinite else { return }
    let clipped = gradNorm > limit
    if ring.count < Self.windowSize {
      ring.append(clipped)
    } else {
      if ring[head] { above -= 1 }
      ring[head] = clipped
      head = (head + 1) % Self.windowSize
    }
    if clipped { above += 1 }
    guard ring.count >= Self.minimumPoints else { return }
    let share = Double(above) / Double(ring.count)
    if let open {
      if share < Self.clearShare {
        self.open = nil
      } else {
        findings[open].endStep = point.step
        if share > findings[open].score ?? 0 {
          findings[open].score = share
          findings[open].value = share
          findings[open].message = Self.message(share: share, count: ring.count, limit: limit)
        }
      }
    } else if share > Self.alertShare {
      open = findings.raise(
        Finding(
          kind: .clipSaturation, severity: .warning, metric: "grad_norm", step: point.step, value: share,
          baseline: Self.alertShare, score: share, message: Self.message(share: share, count: ring.count, limit: limit),
          evidence: [context.evidence(point.line)]))
    }
  }

  static func message(share: Double, count: Int, limit: Double) -> String {
    "\(Format.percent(share)) of the last \(count) logged steps had grad_norm above max_grad_norm \(Format.number(limit)) (alert above 5 %)"
  }
}
