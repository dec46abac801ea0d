/// The verdict of a segment from its findings.
///
/// - `diverged`: a divergence still up at the end, a critical NaN episode that never cleared, or the
///   fp16 scale at/near its minimum.
/// - `unstable`: loss spikes, overflow storms or late skipped steps, a divergence that came back, a
///   critical NaN episode that cleared.
/// - `healthy`: otherwise — warnings about grad-norm spikes or clip saturation alone do not make a
///   run unstable (stability.md §0.3: clipping is often active and harmless).
/// - `no-data`: no loss was read and nothing above.
///
/// The first bad step is the earliest step of the findings that decided the verdict.
enum VerdictRule {
  static func decide(findings: [Finding], series: RunSeries) -> (Verdict, Int?) {
    var diverged: [Finding] = []
    var unstable: [Finding] = []
    for finding in findings {
      switch finding.kind {
      case .divergence:
        if finding.severity == .critical { diverged.append(finding) } else { unstable.append(finding) }
      case .nan where finding.severity == .critical:
        if finding.recovery == .never { diverged.append(finding) } else { unstable.append(finding) }
      case .lossScaleCollapse:
        diverged.append(finding)
      case .lossSpike, .overflowStorm, .skippedSteps:
        if finding.severity >= .warning { unstable.append(finding) }
      default:
        break
      }
    }
    if !diverged.isEmpty {
      return (.diverged, (diverged + unstable).map(\.step).min())
    }
    if !unstable.isEmpty { return (.unstable, unstable.map(\.step).min()) }
    let hasLoss = series.losses.contains { RunSeries.value($0) != nil }
    return (hasLoss ? .healthy : .noData, nil)
  }
}
