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

  /// Hands the text kept for `value` to `body` and returns `true`, or returns `false` when
  /// `value` is not the value written last.
  func withText(for value: Double, _ body: (UnsafeRawBufferPointer) -> Void) -> Bool {
    guard filled, value.bitPattern == bits else { return false }
    withUnsafeBytes(of: text) { body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    return true
  }

  /// Keeps `bytes` (at most 32) as the text of `value`.
  mutating func keep(_ bytes: UnsafeRawBufferPointer, for value: Double) {
    guard bytes.count <= 32 else {
      filled = false
      return
    }
    withUnsafeMutableBytes(of: &text) { target in
      // SAFETY: bytes.count <= 32, the size of `text`.
      target.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
    }
    count = bytes.count
    bits = value.bitPattern
    filled = true
  }
}
