public import LogParse

/// `loss_scale_collapse`: the fp16 loss scale at or near its minimum, or DeepSpeed's fatal
/// "Current loss scale already at minimum - cannot decrease scale anymore. Exiting run."
///
/// The start-up halving run from 2^16 or 2^32 is normal and never reaches these levels.
public struct LossScaleCollapseDetector: Detector {
  /// DeepSpeed's `min_loss_scale` defaults to 1 (log-formats.md §2.4); a scale of 4 or less is two
  /// halvings from the fatal exception (stability.md §1.3: "loss scale at `min_loss_scale`").
  public static let nearMinimumScale = 4.0

  var open: Int?
  /// The largest scale a step line printed: a scale that was never higher has not collapsed
  /// (Megatron prints `loss scale: 1.0` on every line under bf16).
  var largestPrinted = 0.0

  public init() {}

  public static let description = DetectorDescription(
    id: "loss_scale_collapse",
    summary: "fp16 loss scale halved down to ≤ 4, or DeepSpeed's fatal \"already at minimum\".",
    kinds: [.lossScaleCollapse],
    triggering: [
      DetectorExample(
        "late halvings from 64 down to 2, then the fatal minimum",
        ExampleLog(
          steps: 120,
          injections: [
            .overflows(initialPower: 6, calibration: 0, late: [100, 101, 102, 103, 104]), .minimumScale(step: 105),
          ]), kind: .lossScaleCollapse, severity: .critical, step: 103, tolerance: 1)
    ],
    nonTriggering: [
      DetectorExample(
        "Megatron under bf16 prints loss scale 1.0 on every line",
        {
          var log = ExampleLog(steps: 100)
          log.megatron = true
          log.lossScale = 1
          return log
        }(), kind: .lossScaleCollapse),
      DetectorExample(
        "the start-up halving run from 2^32",
        ExampleLog(steps: 120, injections: [.overflows(initialPower: 32, calibration: 16, late: [])]),
        kind: .lossScaleCollapse),
    ])

  public mutating func observe(
    overflow: OverflowEvent, step: Int, context: RunContext, findings: inout FindingLog
  ) {
    if overflow.kind == .minimumReached {
      raise(
        step: step, line: overflow.location.line, scale: overflow.newScale, severity: .critical,
        message: "DeepSpeed exited: the fp16 loss scale is already at its minimum", context: context,
        findings: &findings)
    } else if let scale = overflow.newScale, scale <= Self.nearMinimumScale {
      raise(
        step: step, line: overflow.location.line, scale: scale, severity: .critical,
        message: "the fp16 loss scale fell to \(Format.number(scale)), near its minimum (overflow after overflow)",
        context: context, findings: &findings)
    }
  }

  public mutating func observe(_ point: StepPoint, context: RunContext, findings: inout FindingLog) {
    guard let scale = point.record.lossScale, scale.isFinite else { return }
    defer { largestPrinted = max(largestPrinted, scale) }
    guard scale <= Self.nearMinimumScale, largestPrinted > Self.nearMinimumScale else { return }
    raise(
      step: point.step, line: point.line, scale: scale, severity: .critical,
      message:
        "the fp16 loss scale fell from \(Format.number(largestPrinted)) to \(Format.number(scale)), near its minimum",
      context: context,
      findings: &findings)
  }

  private mutating func raise(
    step: Int, line: Int, scale: Double?, severity: Severity, message: String, context: RunContext,
    findings: inout FindingLog
  ) {
    if let open {
      findings[open].endStep = max(findings[open].endStep, step)
      if let scale, scale < findings[open].value ?? .infinity { findings[open].value = scale }
      if message != findings[open].message, !Self.bytes(of: findings[open].message, contain: message) {
        findings[open].message += "; " + message
      }
      findings.addEvidence(context.evidence(line), to: open)
    } else {
      open = findings.raise(
        Finding(
          kind: .lossScaleCollapse, severity: severity, metric: "loss_scale", step: step, value: scale,
          baseline: Self.nearMinimumScale, message: message, evidence: [context.evidence(line)]))
    }
  }

  /// Whether `text`'s UTF-8 bytes hold `part`'s. The messages are ASCII, so this is `contains`
  /// without the standard library's character-by-character walk, which cost ~290,000
  /// instructions per overflow line on a long message (the generic `utf8.firstRange(of:)` is as
  /// slow: 123 M instructions on `mixed-100mb.log`'s overflow lines, callgrind).
  static func bytes(of text: String, contain part: String) -> Bool {
    let haystack = Array(text.utf8)
    let needle = Array(part.utf8)
    guard !needle.isEmpty else { return true }
    guard haystack.count >= needle.count else { return false }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
      if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
    }
    return false
  }
}
