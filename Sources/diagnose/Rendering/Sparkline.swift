#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A one-line terminal chart of a series: eight block heights, `×` where a bucket holds a NaN/Inf.
///
/// The series is cut into `width` buckets (each the mean of its finite values) and scaled between
/// the buckets' minimum and maximum; a log scale keeps an early high loss from flattening the rest.
enum Sparkline {
  static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  static func render<Values: RandomAccessCollection<Double?>>(_ values: Values, width: Int = 48) -> String?
  where Values.Index == Int {
    let count = values.count
    guard count >= 2 else { return nil }
    let buckets = min(width, count)
    var means: [Double?] = []
    var broken: [Bool] = []
    for bucket in 0..<buckets {
      let lower = bucket * count / buckets
      let upper = max(lower + 1, (bucket + 1) * count / buckets)
      var sum = 0.0
      var n = 0
      var bad = false
      for value in values[lower..<upper] {
        guard let value else { continue }
        if value.isFinite, value > 0 {
          sum += log(value)
          n += 1
        } else {
          bad = true
        }
      }
      means.append(n > 0 ? sum / Double(n) : nil)
      broken.append(bad)
    }
    let finite = means.compactMap { $0 }
    guard let low = finite.min(), let high = finite.max() else { return nil }
    var line = ""
    for (mean, bad) in zip(means, broken) {
      if bad {
        line.append("×")
      } else if let mean {
        let level = high > low ? Int(((mean - low) / (high - low) * 7).rounded()) : 3
        line.append(bad ? "×" : blocks[min(7, max(0, level))])
      } else {
        line.append(" ")
      }
    }
    return line
  }
}
