/// The layouts transformers prints for nearly every training dict, read in one pass.
///
/// `{'loss': X, 'grad_norm': X, 'learning_rate': X, 'epoch': X}` (4.38 on) and the same without
/// `grad_norm` (4.30–4.37, and later when it is None), with bare values, or quoted ones as 5.x
/// prints them (log-formats.md §1.1). Reading such a dict the general way (``PythonDictReader``
/// finds every key and value, then each key is identified twice and each value parsed) cost
/// ~2,000 instructions; here the keys with their punctuation are compared as 8-byte words and
/// each number is parsed where it stands, its end found by parsing it.
///
/// Anything else (another key or key order, other spacing, a value that is not a plain decimal,
/// `nan`, `inf` or `-inf`) returns `nil`, and the caller reads the dict the general way. Every
/// byte sequence accepted here is one the general path reads as a training dict with the same
/// four values: a value that parses as a number ends at the `,`, `}` or closing quote the next
/// literal requires, which is where the general path ends it too.
struct TrainingDictLayout {
  var loss: Double
  var gradNorm: Double?
  var learningRate: Double
  var epoch: Double
  /// The index just past the closing `}`.
  var end: Int

  /// Reads the dict whose `{` is at `start`, or returns `nil` when it is not one of the layouts.
  ///
  /// One loop over the values, so that the number parser is inlined once: at four call sites the
  /// compiler inlined it at one and called it at three (~30 instructions a call).
  @inline(__always)
  static func read(_ bytes: UnsafeRawBufferPointer, at start: Int) -> TrainingDictLayout? {
    guard let base = bytes.baseAddress else { return nil }
    var cursor = LayoutCursor(base: base, count: bytes.count, index: start)
    guard cursor.skip("{'loss': ") else { return nil }
    var layout = TrainingDictLayout(loss: 0, gradNorm: nil, learningRate: 0, epoch: 0, end: 0)
    var key = Key.loss
    while true {
      guard let value = cursor.value() else { return nil }
      switch key {
      case .loss:
        layout.loss = value
        if cursor.skip(", 'grad_norm': ") {
          key = .gradNorm
        } else {
          guard cursor.skip(", 'learning_rate': ") else { return nil }
          key = .learningRate
        }
      case .gradNorm:
        layout.gradNorm = value
        guard cursor.skip(", 'learning_rate': ") else { return nil }
        key = .learningRate
      case .learningRate:
        layout.learningRate = value
        guard cursor.skip(", 'epoch': ") else { return nil }
        key = .epoch
      case .epoch:
        layout.epoch = value
        guard cursor.skipClosingBrace() else { return nil }
        layout.end = cursor.index
        return layout
      }
    }
  }

  /// The key whose value the cursor is at.
  private enum Key { case loss, gradNorm, learningRate, epoch }
}

/// The position in a dict read by ``TrainingDictLayout``, kept in a local so that it stays in a
/// register.
private struct LayoutCursor {
  let base: UnsafeRawPointer
  let count: Int
  var index: Int

  /// Skips `literal` (at least 8 bytes) when the bytes at the cursor are exactly it.
  ///
  /// Compared 8 bytes at a time, the last word overlapping the one before: the literals are
  /// compile-time constants, so each word is one load and one compare.
  @inline(__always)
  mutating func skip(_ literal: StaticString) -> Bool {
    let length = literal.utf8CodeUnitCount
    guard count &- index >= length else { return false }
    let text = UnsafeRawPointer(literal.utf8Start)
    // SAFETY: index + length <= count, so every word read here lies inside the segment; the
    // literal has `length` >= 8 bytes.
    let here = base + index
    var offset = 0
    while offset &+ 8 < length {
      guard here.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        == text.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      else { return false }
      offset &+= 8
    }
    guard here.loadUnaligned(fromByteOffset: length &- 8, as: UInt64.self)
      == text.loadUnaligned(fromByteOffset: length &- 8, as: UInt64.self)
    else { return false }
    index &+= length
    return true
  }

  @inline(__always)
  mutating func skipClosingBrace() -> Bool {
    guard index < count, byte(index) == UInt8(ascii: "}") else { return false }
    index &+= 1
    return true
  }

  /// A number, bare or in single quotes: a plain decimal, `nan`, `inf` or `-inf`.
  @inline(__always)
  mutating func value() -> Double? {
    guard index < count else { return nil }
    let quoted = byte(index) == 0x27
    if quoted { index &+= 1 }
    let value: Double
    // SAFETY: index <= count; the parser reads only base[index ..< count].
    if let (number, length) = NumberParser.parseDecimalPrefix(base + index, count &- index) {
      value = number
      index &+= length
    } else if let special = special() {
      value = special
    } else {
      return nil
    }
    if quoted {
      guard index < count, byte(index) == 0x27 else { return nil }
      index &+= 1
    }
    return value
  }

  /// `nan`, `inf` or `-inf` (what Python prints for them); the caller checks what follows.
  private mutating func special() -> Double? {
    var negative = false
    var at = index
    if at < count, byte(at) == UInt8(ascii: "-") {
      negative = true
      at &+= 1
    }
    guard count &- at >= 3 else { return nil }
    let word = UInt32(byte(at)) | UInt32(byte(at &+ 1)) << 8 | UInt32(byte(at &+ 2)) << 16
    let value: Double
    switch word {
    case 0x6E_616E where !negative: value = .nan
    case 0x66_6E69: value = negative ? -.infinity : .infinity
    default: return nil
    }
    index = at &+ 3
    return value
  }

  @inline(__always)
  private func byte(_ offset: Int) -> UInt8 {
    // SAFETY: every caller checks offset < count first.
    base.load(fromByteOffset: offset, as: UInt8.self)
  }
}
