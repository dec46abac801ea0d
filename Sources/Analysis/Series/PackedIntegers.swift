/// Integers of one series block (steps or line numbers), stored as narrowly as they allow.
///
/// Steps and line numbers ascend and stay close together within a block, so they are kept as an
/// arithmetic progression while they are one (HF's unnumbered records, Megatron's log interval:
/// no bytes per value), else as offsets from the block's first value in 2 bytes, widened to 4 and
/// then 8 when an offset does not fit (or is negative). Widening copies the block's values once,
/// never more than ``RunSeries/blockSize`` of them.
///
/// - Complexity: `append` is O(1) except when the representation widens (O(block)); the subscript
///   is O(1).
struct PackedIntegers: Sendable {
  private enum Width: UInt8, Sendable {
    case progression, narrow, wide, full
  }

  private(set) var count = 0
  private var base = 0
  private var stride = 0
  private var width = Width.progression
  private var narrow: [UInt16] = []
  private var wide: [UInt32] = []
  private var full: [Int] = []

  /// Bytes held by the arrays (their capacity, not their count).
  var allocatedBytes: Int {
    narrow.capacity * MemoryLayout<UInt16>.stride + wide.capacity * MemoryLayout<UInt32>.stride
      + full.capacity * MemoryLayout<Int>.stride
  }

  subscript(index: Int) -> Int {
    switch width {
    case .progression: base &+ stride &* index
    case .narrow: base &+ Int(narrow[index])
    case .wide: base &+ Int(wide[index])
    case .full: full[index]
    }
  }

  mutating func append(_ value: Int, capacity: Int) {
    defer { count += 1 }
    switch width {
    case .progression:
      if count == 0 {
        base = value
        return
      }
      if count == 1 {
        let (difference, overflow) = value.subtractingReportingOverflow(base)
        if !overflow {
          stride = difference
          return
        }
      } else if value == self[count] {
        return
      }
      widen(toFit: value, capacity: capacity)
    case .narrow:
      if let offset = offset(value), offset <= Int(UInt16.max) {
        narrow.append(UInt16(offset))
      } else {
        widen(toFit: value, capacity: capacity)
      }
    case .wide:
      if let offset = offset(value), offset <= Int(UInt32.max) {
        wide.append(UInt32(offset))
      } else {
        widen(toFit: value, capacity: capacity)
      }
    case .full:
      full.append(value)
    }
  }

  /// `value − base` when it is not negative and did not overflow.
  private func offset(_ value: Int) -> Int? {
    let (difference, overflow) = value.subtractingReportingOverflow(base)
    return overflow || difference < 0 ? nil : difference
  }

  /// Rewrites the block's values in the narrowest width that holds them and `value`, then appends it.
  private mutating func widen(toFit value: Int, capacity: Int) {
    var values = (0..<count).map { self[$0] }
    values.append(value)
    let offsets = values.map(offset)
    let largest = offsets.reduce(0) { partial, offset in offset.map { max(partial, $0) } ?? Int.max }
    narrow = []
    wide = []
    full = []
    if largest <= Int(UInt16.max) {
      width = .narrow
      narrow.reserveCapacity(capacity)
      narrow.append(contentsOf: offsets.map { UInt16($0!) })
    } else if largest <= Int(UInt32.max) {
      width = .wide
      wide.reserveCapacity(capacity)
      wide.append(contentsOf: offsets.map { UInt32($0!) })
    } else {
      width = .full
      full.reserveCapacity(capacity)
      full.append(contentsOf: values)
    }
  }
}
