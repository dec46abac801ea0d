/// The value read from the text a line repeats from the previous one, kept so that it is not read
/// (and allocated) again: DeepSpeed prints the same `mom=[(0.9, 0.999), (0.9, 0.999)]` on every step
/// line, and a constant learning rate the same `lr=[…]`.
struct RepeatedTextCache<Value> {
  private var text: [UInt8] = []
  private var value: Value?

  /// Text longer than this is read every time (no copy of a pathological line is kept).
  static var maximumLength: Int { 256 }

  /// The value of `bytes`: the previous one when the text is the same, else `read(bytes)`.
  mutating func value(for bytes: UnsafeRawBufferPointer, read: (UnsafeRawBufferPointer) -> Value) -> Value {
    if let value, ByteText.equal(text, bytes) { return value }
    let fresh = read(bytes)
    if bytes.count <= Self.maximumLength {
      text.removeAll(keepingCapacity: true)
      text.append(contentsOf: bytes)
      value = fresh
    } else {
      value = nil
    }
    return fresh
  }
}
