/// Reduces a long series to what a chart of a given width can show, keeping the extremes.
///
/// Each pixel column (bucket of consecutive points) keeps its first point, its minimum and its
/// maximum, in step order, so a one-step spike in a million steps stays on the chart: an average
/// would hide it. Non-finite values are kept as gaps so that a NaN run is not drawn as a line.
///
/// - Complexity: O(n) time, O(width) output.
enum Downsampler {
  struct Point: Equatable {
    var x: Double
    var y: Double
  }

  static func minMax(_ points: [Point], buckets: Int) -> [Point] {
    guard buckets > 0, points.count > buckets * 3 else { return points }
    var result: [Point] = []
    result.reserveCapacity(buckets * 3 + 2)
    let size = Double(points.count) / Double(buckets)
    for bucket in 0..<buckets {
      let start = Int(Double(bucket) * size)
      let end = min(points.count, Int(Double(bucket + 1) * size))
      guard start < end else { continue }
      var low: Int? = nil
      var high: Int? = nil
      var gap: Int? = nil
      for index in start..<end {
        let y = points[index].y
        guard y.isFinite else {
          if gap == nil { gap = index }
          continue
        }
        if low == nil || y < points[low!].y { low = index }
        if high == nil || y > points[high!].y { high = index }
      }
      var keep = Set([start])
      if let low { keep.insert(low) }
      if let high { keep.insert(high) }
      if let gap { keep.insert(gap) }
      for index in keep.sorted() { result.append(points[index]) }
    }
    if let last = points.last, result.last != last { result.append(last) }
    return result
  }
}
