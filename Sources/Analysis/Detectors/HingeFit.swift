#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Hindsight onset of a rise: the knot of the best continuous two-piece linear fit of log(loss).
///
/// Model `x = a + b·t + c·max(0, t − τ)` (c > 0) fitted by least squares for each candidate knot τ
/// near the online estimate, and the plain line `x = a + b·t` for a rise from the very first point;
/// the models are compared by BIC (n·log(SSE/n) + k·log n), and the onset is the first point after
/// the best knot. CUSUM's own estimate (where the sum left zero) is late by the few points a slow
/// rise needs to beat the slack; the fit is not.
///
/// - Complexity: O(candidates × span), both bounded (≤ 51 × 140).
enum HingeFit {
  static let before = 80
  static let candidatesBefore = 40
  static let candidatesAfter = 10
  static let after = 60
  /// The plain line (a rise from the first point) is a candidate only when the online onset is
  /// this close to the start; later, the points before it are training, not a blow-up.
  static let lineModelMaxIndex = 6

  static func onset(series: RunSeries, near step: Int, raisedAt: Int) -> Int? {
    let onsetIndex = series.firstIndex(atOrAfter: step)
    guard onsetIndex < series.count else { return nil }
    let alarmIndex = min(series.firstIndex(atOrAfter: raisedAt), series.count - 1)
    let lower = max(0, onsetIndex - before)
    let upper = min(series.count - 1, max(alarmIndex, onsetIndex + after))
    var ts: [Double] = []
    var xs: [Double] = []
    for index in lower...upper {
      guard let loss = series.loss(at: index), loss.isFinite, loss > 0 else { continue }
      ts.append(Double(index))
      xs.append(log(loss))
    }
    guard ts.count >= 8 else { return nil }
    let n = Double(ts.count)
    func bic(_ sse: Double, parameters: Double) -> Double { n * log(max(sse, 1e-12) / n) + parameters * log(n) }
    var best: (score: Double, knot: Int)?
    if lower == 0, onsetIndex <= lineModelMaxIndex, let sse = fitLine(ts, xs) {
      // A rise from the first point: the onset is the second point.
      best = (bic(sse, parameters: 2), 0)
    }
    let firstKnot = max(lower + 1, onsetIndex - candidatesBefore)
    let lastKnot = min(upper - 3, onsetIndex + candidatesAfter)
    if firstKnot <= lastKnot {
      for knot in firstKnot...lastKnot {
        guard let sse = fitHinge(ts, xs, knot: Double(knot)) else { continue }
        let score = bic(sse, parameters: 3)
        if best == nil || score < best!.score { best = (score, knot) }
      }
    }
    guard let best, best.knot + 1 < series.count else { return nil }
    return series.steps[best.knot + 1]
  }

  /// The residual sum of squares of the hinge model with knot `knot`, or nil if singular or not rising.
  static func fitHinge(_ ts: [Double], _ xs: [Double], knot: Double) -> Double? {
    var m = [[Double]](repeating: [0, 0, 0], count: 3)
    var v = [0.0, 0.0, 0.0]
    for i in ts.indices {
      let row = [1, ts[i], max(0, ts[i] - knot)]
      for r in 0..<3 {
        v[r] += row[r] * xs[i]
        for c in 0..<3 { m[r][c] += row[r] * row[c] }
      }
    }
    guard let beta = solve(m, v), beta[2] > 0 else { return nil }
    var sse = 0.0
    for i in ts.indices {
      let residual = xs[i] - (beta[0] + beta[1] * ts[i] + beta[2] * max(0, ts[i] - knot))
      sse += residual * residual
    }
    return sse
  }

  /// The residual sum of squares of a rising straight line, or nil.
  static func fitLine(_ ts: [Double], _ xs: [Double]) -> Double? {
    let n = Double(ts.count)
    let meanT = ts.reduce(0, +) / n
    let meanX = xs.reduce(0, +) / n
    var stt = 0.0
    var stx = 0.0
    for i in ts.indices {
      stt += (ts[i] - meanT) * (ts[i] - meanT)
      stx += (ts[i] - meanT) * (xs[i] - meanX)
    }
    guard stt > 0, stx > 0 else { return nil }
    let slope = stx / stt
    var sse = 0.0
    for i in ts.indices {
      let residual = xs[i] - (meanX + slope * (ts[i] - meanT))
      sse += residual * residual
    }
    return sse
  }

  /// Gaussian elimination with partial pivoting.
  static func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double]? {
    var a = matrix
    var b = vector
    let size = b.count
    for column in 0..<size {
      let pivot = (column..<size).max { abs(a[$0][column]) < abs(a[$1][column]) }!
      guard abs(a[pivot][column]) > 1e-12 else { return nil }
      a.swapAt(column, pivot)
      b.swapAt(column, pivot)
      for row in (column + 1)..<size {
        let factor = a[row][column] / a[column][column]
        for c in column..<size { a[row][c] -= factor * a[column][c] }
        b[row] -= factor * b[column]
      }
    }
    var x = [Double](repeating: 0, count: size)
    for row in stride(from: size - 1, through: 0, by: -1) {
      var sum = b[row]
      for c in (row + 1)..<size { sum -= a[row][c] * x[c] }
      x[row] = sum / a[row][row]
    }
    return x
  }
}
