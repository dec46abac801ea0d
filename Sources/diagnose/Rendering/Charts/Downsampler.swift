/// Reduces a long series to what a chart of a given width can show, keeping the extremes.
///
/// Each pixel column (bucket of consecutive points) keeps its first point, its minimum and its
/// maximum, in step order, so a one-step spike in a million steps stays on the chart: an average
/// would hide it. Non-finite values are kept as gaps so that a NaN run is not drawn as a line.
///
/// - Complexity: O(n) time, O(width) output; the sequence form holds one bucket at a time, so a
///   chart of a million-step series never materialises a million points.
enum Downsampler {
  struct Point: Equatable {
    var x: Double
    var y: Double
  }

  static func minMax(_ points: [Point], buckets: Int) -> [Point] {
    minMax(points, count: points.count, buckets: buckets)
  }

  /// The same reduction over `count` points produced in order.
  static func minMax<Points: Sequence<Point>>(_ points: Points, count: Int, buckets: Int) -> [Point] {
    guard buckets > 0, count > buckets * 3 else { return Array(points) }
    var iterator = points.makeIterator()
    var result: [Point] = []
    result.reserveCapacity(buckets * 3 + 2)
    var bucket: [Point] = []
    var taken = 0
    var last: Point?
    let size = Double(count) / Double(buckets)
    for index in 0..<buckets {
      let start = Int(Double(index) * size)
      let end = min(count, Int(Double(index + 1) * size))
      guard start < end else { continue }
      bucket.removeAll(keepingCapacity: true)
      while taken < end, let point = iterator.next() {
        if taken >= start { bucket.append(point) }
        taken += 1
      }
      guard !bucket.isEmpty else { continue }
      last = bucket.last
      keepExtremes(of: bucket, into: &result)
    }
    while let point = iterator.next() { last = point }
    if let last, result.last != last { result.append(last) }
    return result
  }

  /// Appends a bucket's first point, minimum, maximum and first gap, in order.
  private static func keepExtremes(of bucket: [Point], into result: inout [Point]) {
    var low: Int? = nil
    var high: Int? = nil
    var gap: Int? = nil
    for index in bucket.indices {
      let y = bucket[index].y
      guard y.isFinite else {
        if gap == nil { gap = index }
        continue
      }
      if low == nil || y < bucket[low!].y { low = index }
      if high == nil || y > bucket[high!].y { high = index }
    }
    var keep = Set([0])
    if let low { keep.insert(low) }
    if let high { keep.insert(high) }
    if let gap { keep.insert(gap) }
    for index in keep.sorted() { result.append(bucket[index]) }
  }
}
