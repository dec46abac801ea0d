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
  /// The trailing window: 100 points, as the calibrated W&B watcher (stability.md §3.1, §3 recipe
  /// "W≈50–100"); OLMo-core uses 128, trainspotter 21.
  static let windowSize = 100
  /// No alarm before 20 points: OLMo-core's skip-step guard is active after max(20, …) steps (§1.2).
  static let minimumPoints = 20

  var window = RollingWindow(capacity: windowSize)
  let sigmaFloor: Double
  /// The open spike's finding index, its baseline (log) and σ.
  var open: (index: Int, center: Double, sigma: Double)?

  init(sigmaFloor: Double) { self.sigmaFloor = sigmaFloor }

  /// The robust scale of the trailing window, when it has enough points.
  var scale: RobustScale? {
    window.count >= Self.minimumPoints ? RobustScale(window, floor: sigmaFloor) : nil
  }

  /// Scores `value` (> 0, finite) against the window, then adds it.
  mutating func score(_ value: Double) -> (z: Double, scale: RobustScale)? {
    let x = log(value)
    defer { window.add(x) }
    guard let scale else { return nil }
    return (scale.z(x), scale)
  }
}
