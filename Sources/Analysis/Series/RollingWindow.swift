/// The last `capacity` values of a series, kept both in arrival order and sorted, for a rolling
/// median and MAD.
///
/// Degenerate cases: an empty window has no median (`nil`); a window of one value has that value as
/// median and a MAD of 0; a constant window has MAD 0 — callers floor the scale
/// (see ``RobustScale``) rather than divide by it.
///
/// - Complexity: `add` is O(log capacity) to find the places plus one shift of the values lying
///   between the dropped and the added one (no allocation once full); `median` is O(1); `mad` is
///   O(log capacity).
public struct RollingWindow: Sendable {
  public let capacity: Int
  private var ring: [Double]
  private var sorted: [Double]
  private var head = 0

  public init(capacity: Int) {
    precondition(capacity > 0)
    self.capacity = capacity
    ring = []
    sorted = []
    ring.reserveCapacity(capacity)
    sorted.reserveCapacity(capacity)
  }

  public var count: Int { ring.count }
  public var isEmpty: Bool { ring.isEmpty }

  public mutating func removeAll() {
    ring.removeAll(keepingCapacity: true)
    sorted.removeAll(keepingCapacity: true)
    head = 0
  }

  /// Adds `value`, dropping the oldest one when the window is full. NaNs are ignored.
  public mutating func add(_ value: Double) {
    guard !value.isNaN else { return }
    if ring.count < capacity {
      ring.append(value)
      sorted.insert(value, at: Self.lowerBound(of: value, in: sorted, 0, sorted.count))
      return
    }
    let oldest = ring[head]
    ring[head] = value
    head = head + 1 == capacity ? 0 : head + 1
    // Replace the oldest value in place: the values between its slot and the new value's move by
    // one, which is what removing and inserting would do, with one shift instead of two.
    let n = sorted.count
    sorted.withUnsafeMutableBufferPointer { values in
      let slot = Self.lowerBound(of: oldest, in: values, 0, n)
      if value >= values[slot] {
        let end = Self.lowerBound(of: value, in: values, slot + 1, n)
        var index = slot
        while index + 1 < end {
          values[index] = values[index + 1]
          index += 1
        }
        values[end - 1] = value
      } else {
        let start = Self.lowerBound(of: value, in: values, 0, slot)
        var index = slot
        while index > start {
          values[index] = values[index - 1]
          index -= 1
        }
        values[start] = value
      }
    }
  }

  /// The first index in `low..<high` of `values` whose value is not below `value` (`high` if none).
  private static func lowerBound<C: RandomAccessCollection<Double>>(
    of value: Double, in values: C, _ low: Int, _ high: Int
  ) -> Int where C.Index == Int {
    var low = low
    var high = high
    while low < high {
      let mid = (low + high) / 2
      if values[mid] < value { low = mid + 1 } else { high = mid }
    }
    return low
  }

  public var median: Double? {
    let n = sorted.count
    guard n > 0 else { return nil }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
  }

  public var maximum: Double? { sorted.last }
  public var minimum: Double? { sorted.first }

  /// The median absolute deviation from the median.
  ///
  /// Deviations left of the median grow leftwards and those right of it grow rightwards: two sorted
  /// runs, so the k-th smallest deviation is a k-th smallest of two sorted arrays, found by binary
  /// search on how many come from the left run, without sorting or merging.
  public var mad: Double? {
    guard let center = median else { return nil }
    let n = sorted.count
    return sorted.withUnsafeBufferPointer { values -> Double in
      let deviations = Deviations(values: values, center: center, split: Self.lowerBound(of: center, in: values, 0, n))
      let upper = deviations.smallest(n / 2)
      return n % 2 == 1 ? upper : (deviations.smallest(n / 2 - 1) + upper) / 2
    }
  }

  /// The absolute deviations of sorted values from their median, as two ascending runs: `left(i)`
  /// for the values below `split` going leftwards, `right(j)` for the others going rightwards.
  private struct Deviations {
    let values: UnsafeBufferPointer<Double>
    let center: Double
    let split: Int

    func left(_ i: Int) -> Double { center - values[split - 1 - i] }
    func right(_ j: Int) -> Double { values[split + j] - center }

    /// The `k`-th smallest deviation (from 0): take `i` from the left run and `k + 1 − i` from the
    /// right, with `i` the first count for which the next left one is not below the last right one.
    func smallest(_ k: Int) -> Double {
      let leftCount = split
      let rightCount = values.count - split
      var low = max(0, k + 1 - rightCount)
      var high = min(leftCount, k + 1)
      while low < high {
        let i = (low + high) / 2
        if right(k - i) > left(i) { low = i + 1 } else { high = i }
      }
      let taken = low
      let fromRight = k + 1 - taken
      let lastLeft = taken > 0 ? left(taken - 1) : -Double.infinity
      let lastRight = fromRight > 0 ? right(fromRight - 1) : -Double.infinity
      return max(lastLeft, lastRight)
    }
  }
}

/// A robust location and scale: where the series is now and how much it wiggles.
///
/// - `center`: the median of the last ``levelSize`` points — short, so that it follows a descending
///   curve with a lag of only ~10 steps of slope (trainspotter's 21-point window, stability.md §3.1);
/// - `sigma`: 1.4826 × MAD of the last ``spreadSize`` first differences, ÷ √2. Differences cancel
///   the trend, so a steep early descent does not inflate σ (a MAD of raw values over 100 points
///   would, and hide real spikes); 1.4826 × MAD estimates σ for normal noise (Hampel / modified z,
///   §3.1), and a difference of two independent points has √2 σ.
/// - degenerate cases: before ``minimumPoints`` there is no scale; a constant series has MAD 0, so
///   σ is floored (the caller's floor) rather than dividing by zero.
public struct TrendScale: Sendable {
  /// trainspotter's window (stability.md §3.1).
  public static let levelSize = 21
  /// The W&B watcher's trailing 100 points (stability.md §3.1).
  public static let spreadSize = 100
  /// OLMo-core's guard is active after max(20, …) steps (stability.md §1.2).
  public static let minimumPoints = 20

  private var level = RollingWindow(capacity: levelSize)
  private var differences = RollingWindow(capacity: spreadSize)
  private var last: Double?
  public let floor: Double

  public init(floor: Double) { self.floor = floor }

  public var count: Int { differences.count + (last == nil ? 0 : 1) }

  public mutating func removeAll() {
    level.removeAll()
    differences.removeAll()
    last = nil
  }

  public mutating func add(_ x: Double) {
    guard x.isFinite else { return }
    if let last { differences.add(x - last) }
    last = x
    level.add(x)
  }

  /// The scale from the points added so far (the current point not included), once there are enough.
  public var scale: RobustScale? {
    guard count >= Self.minimumPoints, let center = level.median, let mad = differences.mad else { return nil }
    return RobustScale(center: center, sigma: max(1.4826 * mad / 2.0.squareRoot(), floor))
  }

  /// A scale for short logs (a pasted excerpt, the first steps): from ``shortMinimumPoints`` points
  /// on, the median of what there is and a σ of at least `wideFloor`, so that only a jump far beyond
  /// any early noise scores high; from ``minimumPoints`` on, ``scale``.
  public func scale(wideFloor: Double) -> RobustScale? {
    if let scale { return scale }
    guard count >= Self.shortMinimumPoints, let center = level.median else { return nil }
    let spread = differences.mad.map { 1.4826 * $0 / 2.0.squareRoot() } ?? 0
    return RobustScale(center: center, sigma: max(spread, wideFloor, floor))
  }

  /// Points needed before a short-window scale is given.
  public static let shortMinimumPoints = 5

  /// The median of the short level window, with however few points it has.
  public var center: Double? { level.median }
}

/// A location and a scale; `z` standardises a value against them.
public struct RobustScale: Sendable {
  public var center: Double
  public var sigma: Double

  public init(center: Double, sigma: Double) {
    self.center = center
    self.sigma = sigma
  }

  public func z(_ value: Double) -> Double { (value - center) / sigma }
}
