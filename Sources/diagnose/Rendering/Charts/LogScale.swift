import Foundation

/// Maps positive data onto pixels logarithmically (grad-norm spans decades); ticks at powers of ten.
struct LogScale {
  var domain: ClosedRange<Double>
  /// Pixel positions of the domain's lower and upper ends (the upper may be the smaller: SVG y grows down).
  var range: (from: Double, to: Double)

  /// A scale over the positive finite `values`; zeros and negatives cannot be drawn and are skipped.
  init(covering values: some Sequence<Double>, range: (from: Double, to: Double)) {
    var low = Double.infinity
    var high = -Double.infinity
    for value in values where value.isFinite && value > 0 {
      low = min(low, value)
      high = max(high, value)
    }
    if !low.isFinite { (low, high) = (0.1, 10) }
    if low == high { (low, high) = (low / 2, high * 2) }
    self.domain = (low / 1.2)...(high * 1.2)
    self.range = range
  }

  func callAsFunction(_ value: Double) -> Double {
    let low = log10(domain.lowerBound)
    let span = log10(domain.upperBound) - low
    guard value > 0, span > 0 else { return range.from }
    return range.from + (log10(value) - low) / span * (range.to - range.from)
  }

  /// Powers of ten inside the domain, with 2× and 5× steps when it spans less than three decades.
  func ticks() -> [Double] {
    let first = Int(log10(domain.lowerBound).rounded(.up))
    let last = Int(log10(domain.upperBound).rounded(.down))
    if last - first < 2 {
      // Less than three decades: 1, 2 and 5 of each decade, so that the axis has more than one label.
      var ticks: [Double] = []
      for exponent in (first - 1)...(last + 1) {
        for factor in [1.0, 2.0, 5.0] {
          let tick = factor * pow(10, Double(exponent))
          if domain.contains(tick) { ticks.append(tick) }
        }
      }
      if ticks.count >= 2 { return ticks }
    }
    guard first <= last else { return [domain.lowerBound, domain.upperBound] }
    let stride = max(1, (last - first + 1) / 6)
    return Swift.stride(from: first, through: last, by: stride).map { pow(10, Double($0)) }
  }
}
