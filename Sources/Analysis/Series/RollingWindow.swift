/// The last `capacity` values of a series, kept both in arrival order and sorted, for a rolling
/// median and MAD.
///
/// Degenerate cases: an empty window has no median (`nil`); a window of one value has that value as
/// median and a MAD of 0; a constant window has MAD 0 — callers floor the scale
/// (see ``RobustScale``) rather than divide by it.
///
/// - Complexity: `add` is O(capacity) (one binary search and one shift in the sorted copy, no
///   allocation once full); `median` is O(1); `mad` is O(capacity).
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
    } else {
      let oldest = ring[head]
      ring[head] = value
      head = (head + 1) % capacity
      sorted.remove(at: insertionIndex(of: oldest))
    }
    sorted.insert(value, at: insertionIndex(of: value))
  }

  /// The first index in `sorted` whose value is not below `value`.
  private func insertionIndex(of value: Double) -> Int {
    var low = 0
    var high = sorted.count
    while low < high {
      let mid = (low + high) / 2
      if sorted[mid] < value { low = mid + 1 } else { high = mid }
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
  /// Deviations left of the median grow leftwards and those right of it grow rightwards, so the
  /// k-th smallest deviation is found by merging the two runs outwards, without sorting.
  public var mad: Double? {
    guard let center = median else { return nil }
    let n = sorted.count
    let split = insertionIndex(of: center)
    var left = split - 1
    var right = split
    var previous = 0.0
    var current = 0.0
    for _ in 0...(n / 2) {
      previous = current
      let leftDeviation = left >= 0 ? center - sorted[left] : .infinity
      let rightDeviation = right < n ? sorted[right] - center : .infinity
      if leftDeviation <= rightDeviation {
        current = leftDeviation
        left -= 1
      } else {
        current = rightDeviation
        right += 1
      }
    }
    // After n/2 + 1 picks, `current` is deviation number n/2 (0-based) and `previous` number n/2 - 1.
    return n % 2 == 1 ? current : (previous + current) / 2
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
