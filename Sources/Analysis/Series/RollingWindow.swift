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

/// A robust location and scale from a trailing window: median and 1.4826 × MAD, floored.
///
/// 1.4826 × MAD estimates σ for normal noise (stability.md §3.1, Hampel / modified z); the floor
/// keeps a constant or very smooth window (MAD = 0) from turning every wiggle into an infinite z.
public struct RobustScale: Sendable {
  public var center: Double
  public var sigma: Double

  public init?(_ window: RollingWindow, floor: Double) {
    guard let center = window.median, let mad = window.mad else { return nil }
    self.center = center
    self.sigma = max(1.4826 * mad, floor)
  }

  public func z(_ value: Double) -> Double { (value - center) / sigma }
}
