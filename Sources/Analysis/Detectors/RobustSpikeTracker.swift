#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The shared core of the spike detectors: the robust z of log(x) against the trailing window, the
/// current point excluded, and one open finding per spike episode.
///
/// Excluding the current point matters: a window that includes the spike lets it inflate its own
/// baseline (a 50× spike scored z ≈ 1.8 that way, stability.md §3.1).
struct RobustSpikeTracker: Sendable {
  /// σ (log units) assumed before the window holds ``TrendScale/minimumPoints`` points: z > 6 then
  /// needs a jump of 2.5× or more, which early noise does not make (the divergence detector uses
  /// the same width for its short window).
  static let shortWindowSigma = 0.15

  var trend: TrendScale
  /// The open spike's finding index.
  var open: Int?

  init(sigmaFloor: Double) { trend = TrendScale(floor: sigmaFloor) }

  /// Scores `value` (> 0, finite) against the points before it, then adds it.
  mutating func score(_ value: Double) -> (z: Double, scale: RobustScale)? {
    let x = log(value)
    defer { trend.add(x) }
    guard let scale = trend.scale(wideFloor: Self.shortWindowSigma) else { return nil }
    return (scale.z(x), scale)
  }
}
