/// The last number written in one output column, with its text.
///
/// Logs repeat values from row to row (an epoch rounded to two decimals, a constant learning
/// rate): copying the text kept from the row before is cheaper than finding the shortest digits
/// again, which is the largest cost of writing a row (`Float64ToASCII`). The same bits always
/// give the same text, so the output does not change.
struct RepeatedNumber {
  private var bits: UInt64 = 0
  private var filled = false
  private var text: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
  private var count = 0
  /// Writes since the last one that could reuse the kept text.
  private var misses = 0

  /// Writes the text kept for `value` at `target` and returns its length, or returns `nil` when
  /// `value` is not the value written last.
  ///
  /// All 32 kept bytes are stored (one wide copy, no length-dependent loop): `target` must have
  /// room for 32, of which the returned length counts.
  @inline(__always)
  mutating func write(_ value: Double, to target: UnsafeMutableRawPointer) -> Int? {
    guard filled, value.bitPattern == bits else {
      misses &+= 1
      return nil
    }
    misses = 0
    // SAFETY: the caller reserved 32 bytes at `target` (``RowWriter/numberRoom``).
    target.storeBytes(of: text, as: (UInt64, UInt64, UInt64, UInt64).self)
    return count
  }

  /// Whether the text just written for a value that missed is worth keeping.
  ///
  /// Keeping loads 32 bytes that were stored a few instructions before, digit group by digit
  /// group: the load waits for those stores to reach the cache (a store-forwarding stall that
  /// cost ~5 % of `diagnose series`). A column whose values keep changing (a loss, a gradient
  /// norm) would pay it at every row for nothing, so after three misses in a row only every
  /// 16th miss is kept: a column that starts repeating (a constant learning rate) is caught
  /// again within 16 rows. The kept text always belongs to the kept bits, so the output
  /// does not depend on this choice.
  @inline(__always)
  var worthKeeping: Bool { misses <= 2 || misses & 15 == 0 }

  /// Keeps the `count` bytes at `start` (at most 32) as the text of `value`.
  ///
  /// Loads 32 bytes at once: `start` must be readable for 32 (a row's reserved room is).
  @inline(__always)
  mutating func keep(from start: UnsafeMutableRawPointer, count: Int, for value: Double) {
    guard count <= 32 else {
      filled = false
      return
    }
    // SAFETY: the 32 bytes at `start` lie inside the output buffer's initialised storage.
    text = UnsafeRawPointer(start).loadUnaligned(as: (UInt64, UInt64, UInt64, UInt64).self)
    self.count = count
    bits = value.bitPattern
    filled = true
  }
}
