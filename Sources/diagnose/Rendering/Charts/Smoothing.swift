/// TensorBoard's "classic" smoothing, so the smoothed loss looks like what users see there.
///
/// A debiased exponential moving average: `last = last·w + (1−w)·y; y' = last / (1 − wⁿ)`;
/// non-finite points pass through unchanged and do not advance `n` (stability.md §3.2, TensorBoard's
/// data_transformer.ts). The default weight there is 0.6.
enum Smoothing {
  static let tensorBoardDefaultWeight = 0.6

  static func debiasedEMA(_ values: [Double], weight: Double) -> [Double] {
    Array(debiasedEMA(lazy: values, weight: weight))
  }

  /// The smoothed values one at a time, for a series too long to copy (the constant-series check
  /// reads `values` once more first).
  static func debiasedEMA<Values: Collection<Double>>(lazy values: Values, weight: Double) -> DebiasedEMA<Values> {
    // TensorBoard leaves a constant series as it is (debiasing would add rounding noise).
    let first = values.first(where: \.isFinite)
    let constant = first.map { first in values.allSatisfy { !$0.isFinite || $0 == first } } ?? true
    return DebiasedEMA(values: values, weight: weight > 0 && !constant ? weight : 0)
  }

  /// A debiased EMA over `values`, computed as it is read; a weight of 0 passes them through.
  struct DebiasedEMA<Values: Collection<Double>>: Sequence {
    let values: Values
    let weight: Double

    func makeIterator() -> Iterator { Iterator(base: values.makeIterator(), weight: weight) }

    struct Iterator: IteratorProtocol {
      var base: Values.Iterator
      let weight: Double
      var last = 0.0
      var count = 0.0

      mutating func next() -> Double? {
        guard let value = base.next() else { return nil }
        guard weight > 0, value.isFinite else { return value }
        count += 1
        last = last * weight + (1 - weight) * value
        let debias = 1 - Smoothing.pow(weight, count)
        return debias > 0 ? last / debias : value
      }
    }
  }

  fileprivate static func pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var power = Int(exponent)
    var factor = base
    while power > 0 {
      if power & 1 == 1 { result *= factor }
      factor *= factor
      power >>= 1
    }
    return result
  }
}
