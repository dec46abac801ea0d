/// A column whose value rarely changes (the fp16 loss scale, DeepSpeed's skipped count), stored as
/// runs: the index where each run starts and its value.
///
/// A loss scale that halves a few dozen times in a million steps costs a few hundred bytes instead
/// of 8 MB. A value that changed on every record would cost 16 bytes a record; no log prints one.
/// Values are compared by their bits, so that NaN payloads (``RunSeries/missing``) stay distinct.
///
/// - Complexity: `append` is amortised O(1); the subscript is O(log runs).
struct RunLengthColumn: Sendable {
  private var starts: [Int] = []
  private var values: [UInt64] = []
  private(set) var count = 0

  var allocatedBytes: Int { (starts.capacity + values.capacity) * 8 }

  mutating func append(bits: UInt64) {
    if values.last != bits {
      starts.append(count)
      values.append(bits)
    }
    count += 1
  }

  /// The bits stored at `index` (`0 ..< count`).
  subscript(bits index: Int) -> UInt64 {
    var low = 0
    var high = starts.count
    // The last run starting at or before `index`.
    while high - low > 1 {
      let mid = (low + high) / 2
      if starts[mid] <= index { low = mid } else { high = mid }
    }
    return values[low]
  }
}
