/// Maps a data interval onto a pixel interval linearly, with "nice" ticks (1, 2, 5 × 10ⁿ).
struct LinearScale {
  var domain: ClosedRange<Double>
  /// Pixel positions of the domain's lower and upper ends (the upper may be the smaller: SVG y grows down).
  var range: (from: Double, to: Double)

  /// A scale over `values` (non-finite ones ignored), widened a little so lines do not touch the frame.
  init(covering values: some Sequence<Double>, range: (from: Double, to: Double), padding: Double = 0.05) {
    var low = Double.infinity
    var high = -Double.infinity
    for value in values where value.isFinite {
      low = min(low, value)
      high = max(high, value)
    }
    if !low.isFinite {
      (low, high) = (0, 1)
    } else if low == high {
      (low, high) = (low - max(abs(low) * 0.1, 0.5), high + max(abs(high) * 0.1, 0.5))
    } else {
      let pad = (high - low) * padding
      (low, high) = (low - pad, high + pad)
    }
    self.init(domain: low...high, range: range)
  }

  init(domain: ClosedRange<Double>, range: (from: Double, to: Double)) {
    self.domain = domain
    self.range = range
  }

  func callAsFunction(_ value: Double) -> Double {
    let span = domain.upperBound - domain.lowerBound
    guard span > 0 else { return range.from }
    return range.from + (value - domain.lowerBound) / span * (range.to - range.from)
  }

  /// About `count` ticks at round values inside the domain.
  func ticks(count: Int = 5) -> [Double] {
    let span = domain.upperBound - domain.lowerBound
    guard span > 0, span.isFinite, count > 0 else { return [domain.lowerBound] }
    let step = Self.niceStep(span / Double(count))
    var tick = (domain.lowerBound / step).rounded(.up) * step
    var ticks: [Double] = []
    while tick <= domain.upperBound + step * 1e-9, ticks.count < 50 {
      ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
      tick += step
    }
    return ticks
  }

  /// The 1, 2, 5 × 10ⁿ step closest to `raw` (geometric thresholds √2, √10, √50, as d3 does).
  static func niceStep(_ raw: Double) -> Double {
    guard raw > 0, raw.isFinite else { return 1 }
    var power = 1.0
    while power * 10 <= raw { power *= 10 }
    while power > raw { power /= 10 }
    let error = raw / power
    if error >= 50.0.squareRoot() { return power * 10 }
    if error >= 10.0.squareRoot() { return power * 5 }
    if error >= 2.0.squareRoot() { return power * 2 }
    return power
  }
}
