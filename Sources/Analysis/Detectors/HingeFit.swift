#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Hindsight onset of a rise: the knot of the best continuous two-piece linear fit of log(loss).
///
/// Model `x = a + b·t + c·max(0, t − τ)` fitted by least squares for each candidate knot τ near the
/// online estimate; the onset is the first point after the best knot. CUSUM's own estimate (where
/// the sum left zero) is late by the few points a slow rise needs to beat the slack; the fit is not.
///
/// - Complexity: O(candidates × span), both bounded (≤ 26 × 100).
enum HingeFit {
  static let before = 60
  static let candidatesBefore = 15
  static let candidatesAfter = 10
  static let minimumBefore = 8

  static func onset(series: RunSeries, near step: Int, raisedAt: Int) -> Int? {
    let onsetIndex = series.firstIndex(atOrAfter: step)
    let alarmIndex = min(series.firstIndex(atOrAfter: raisedAt), series.count - 1)
    guard onsetIndex >= minimumBefore, onsetIndex < series.count else { return nil }
    let lower = max(0, onsetIndex - before)
    let upper = min(series.count - 1, max(alarmIndex, onsetIndex + 30))
    var ts: [Double] = []
    var xs: [Double] = []
    var indexes: [Int] = []
    for index in lower...upper {
      guard let loss = series.loss(at: index), loss.isFinite, loss > 0 else { continue }
      ts.append(Double(index))
      xs.append(log(loss))
      indexes.append(index)
    }
    guard ts.count >= minimumBefore + 4 else { return nil }
    var best: (sse: Double, knot: Int)?
    let firstKnot = max(lower + minimumBefore, onsetIndex - candidatesBefore)
    let lastKnot = min(upper - 3, onsetIndex + candidatesAfter)
    guard firstKnot <= lastKnot else { return nil }
    for knot in firstKnot...lastKnot {
      guard let sse = fit(ts, xs, knot: Double(knot)) else { continue }
      if best == nil || sse < best!.sse { best = (sse, knot) }
    }
    guard let best, best.knot + 1 < series.count else { return nil }
    return series.steps[best.knot + 1]
  }

  /// The residual sum of squares of the hinge model with knot `knot`, or nil if singular.
  static func fit(_ ts: [Double], _ xs: [Double], knot: Double) -> Double? {
    // Normal equations for columns (1, t, h) with h = max(0, t − knot).
    var m = [[Double]](repeating: [0, 0, 0], count: 3)
    var v = [0.0, 0.0, 0.0]
    for i in ts.indices {
      let row = [1, ts[i], max(0, ts[i] - knot)]
      for r in 0..<3 {
        v[r] += row[r] * xs[i]
        for c in 0..<3 { m[r][c] += row[r] * row[c] }
      }
    }
    guard let beta = solve3(m, v) else { return nil }
    var sse = 0.0
    for i in ts.indices {
      let predicted = beta[0] + beta[1] * ts[i] + beta[2] * max(0, ts[i] - knot)
      sse += (xs[i] - predicted) * (xs[i] - predicted)
    }
    return beta[2] > 0 ? sse : nil
  }

  /// Gaussian elimination with partial pivoting on a 3×3 system.
  static func solve3(_ matrix: [[Double]], _ vector: [Double]) -> [Double]? {
    var a = matrix
    var b = vector
    for column in 0..<3 {
      let pivot = (column..<3).max { abs(a[$0][column]) < abs(a[$1][column]) }!
      guard abs(a[pivot][column]) > 1e-12 else { return nil }
      a.swapAt(column, pivot)
      b.swapAt(column, pivot)
      for row in (column + 1)..<3 {
        let factor = a[row][column] / a[column][column]
        for c in column..<3 { a[row][c] -= factor * a[column][c] }
        b[row] -= factor * b[column]
      }
    }
    var x = [0.0, 0.0, 0.0]
    for row in stride(from: 2, through: 0, by: -1) {
      var sum = b[row]
      for c in (row + 1)..<3 { sum -= a[row][c] * x[c] }
      x[row] = sum / a[row][row]
    }
    return x
  }
}
