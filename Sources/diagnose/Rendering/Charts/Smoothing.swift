/// TensorBoard's "classic" smoothing, so the smoothed loss looks like what users see there.
///
/// A debiased exponential moving average: `last = last·w + (1−w)·y; y' = last / (1 − wⁿ)`;
/// non-finite points pass through unchanged and do not advance `n` (stability.md §3.2, TensorBoard's
/// data_transformer.ts). The default weight there is 0.6.
enum Smoothing {
  static let tensorBoardDefaultWeight = 0.6

  static func debiasedEMA(_ values: [Double], weight: Double) -> [Double] {
    guard weight > 0 else { return values }
    // TensorBoard leaves a constant series as it is (debiasing would add rounding noise).
    let finite = values.filter(\.isFinite)
    if let first = finite.first, finite.allSatisfy({ $0 == first }) { return values }
    var last = 0.0
    var count = 0.0
    var result: [Double] = []
    result.reserveCapacity(values.count)
    for value in values {
      guard value.isFinite else {
        result.append(value)
        continue
      }
      count += 1
      last = last * weight + (1 - weight) * value
      let debias = 1 - pow(weight, count)
      result.append(debias > 0 ? last / debias : value)
    }
    return result
  }

  private static func pow(_ base: Double, _ exponent: Double) -> Double {
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
