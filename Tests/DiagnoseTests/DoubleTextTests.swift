import Foundation
import Testing

@testable import diagnose

/// ``DoubleText`` must write exactly what `Double.description` writes, for every double: the
/// series CSV and JSON Lines have always been written with the standard library's text.
@Suite("DoubleText spells doubles as Double.description does")
struct DoubleTextTests {
  /// A family of generated doubles, with how many of each the test checks.
  enum Family: String, CaseIterable, CustomTestStringConvertible {
    case randomBitPatterns, randomDecimals, trainingValues
    var count: Int {
      switch self {
      case .randomBitPatterns: 10_000_000
      case .randomDecimals: 10_000_000
      case .trainingValues: 1_000_000
      }
    }
    var testDescription: String { rawValue }
  }

  /// Writes `value` with ``DoubleText`` and returns the mismatch, if any.
  ///
  /// The expected text comes through `Double.write(to:)`, which hands its digits to the stream
  /// from a stack buffer: no `String` per value, so tens of millions take seconds.
  static func mismatch(_ value: Double, _ scratch: UnsafeMutableRawPointer) -> String? {
    let length = DoubleText.write(value, at: scratch)
    var expected = Comparison(written: UnsafeRawBufferPointer(start: scratch, count: length))
    value.write(to: &expected)
    if expected.same && expected.compared == length { return nil }
    let got = String(decoding: UnsafeRawBufferPointer(start: scratch, count: length), as: UTF8.self)
    return "\(value.bitPattern): expected \(value.description), wrote \(got)"
  }

  /// A text stream that compares what it is given with bytes already written.
  struct Comparison: TextOutputStream {
    let written: UnsafeRawBufferPointer
    var compared = 0
    var same = true

    mutating func write(_ string: String) {
      var string = string
      string.withUTF8 { compare(UnsafeRawBufferPointer($0)) }
    }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
      compare(UnsafeRawBufferPointer(buffer))
    }

    private mutating func compare(_ bytes: UnsafeRawBufferPointer) {
      guard !bytes.isEmpty else { return }
      if compared + bytes.count > written.count
        || memcmp(written.baseAddress! + compared, bytes.baseAddress!, bytes.count) != 0
      {
        same = false
      }
      compared += bytes.count
    }
  }

  /// Checks `values` and returns the first few mismatches.
  static func mismatches(_ count: Int, _ values: (inout Generator) -> Double, seed: UInt64) -> [String] {
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
    defer { scratch.deallocate() }
    var generator = Generator(state: seed)
    var found: [String] = []
    for _ in 0..<count {
      let value = values(&generator)
      guard value.isFinite else { continue }
      if let mismatch = mismatch(value, scratch) {
        found.append(mismatch)
        if found.count == 5 { break }
      }
    }
    return found
  }

  @Test("every generated double is spelled as description spells it", arguments: Family.allCases)
  func agreesWithDescription(_ family: Family) {
    let found: [String]
    switch family {
    case .randomBitPatterns:
      found = Self.mismatches(family.count, { Double(bitPattern: $0.next()) }, seed: 0x9E37_79B9_7F4A_7C15)
    case .randomDecimals:
      // 1–17 random digits at a random power of ten: the shapes logs print, shortest or not.
      found = Self.mismatches(family.count, { $0.decimal() }, seed: 0xD1B5_4A32_D192_ED03)
    case .trainingValues:
      // Learning rates and gradient norms as training computes them: products and quotients.
      found = Self.mismatches(
        family.count,
        { generator in
          let base = Double(generator.next() >> 11) / Double(1 << 53)
          return base * 3e-4 * Double(generator.next() % 1000) / 997
        }, seed: 42)
    }
    #expect(found.isEmpty, "\(found)")
  }

  @Test("the families add up to tens of millions of values")
  func enoughValues() {
    #expect(Family.allCases.reduce(0) { $0 + $1.count } >= 20_000_000)
  }

  @Test("boundaries: zeros, subnormals, powers of two, notation switch points, extremes")
  func boundaries() {
    var values: [Double] = [0, 5e-324, 1e-323, .leastNormalMagnitude, .greatestFiniteMagnitude, 1, 0.1, 1e-4, 1e-5, 1e16]
    // Every subnormal with a small significand (too few digits for the general search's tens).
    values += (1...20_000).map { Double(bitPattern: UInt64($0)) }
    // Every power of two and its neighbours: the interval below is half as wide.
    for exponent in -1074...1023 {
      let power = Double(sign: .plus, exponent: exponent, significand: 1)
      values += [power, power.nextDown, power.nextUp]
    }
    // A thousand doubles on each side of each point where the notation or the digit count changes.
    for point in [1e-4, 1e-5, 9_007_199_254_740_992, 1e16, 1e15, 1e17, 1e-3, 1, 10, 1e22, 1e23, 1e100, 1e-100] {
      var up = point
      var down = point
      for _ in 0..<1000 {
        values += [up, down]
        up = up.nextUp
        down = down.nextDown
      }
    }
    // Every power of ten a double can hold, and its neighbours.
    for exponent in -323...308 {
      let power = Double("1e\(exponent)")!
      values += [power, power.nextDown, power.nextUp]
    }
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
    defer { scratch.deallocate() }
    var found: [String] = []
    for value in values + values.map({ -$0 }) {
      if let mismatch = Self.mismatch(value, scratch), found.count < 5 { found.append(mismatch) }
    }
    #expect(found.isEmpty, "\(found)")
    #expect(DoubleTextTests.text(-0.0) == "-0.0")
    #expect(DoubleTextTests.text(9_007_199_254_740_992) == "9007199254740992.0")
    #expect(DoubleTextTests.text(9_007_199_254_740_994) == "9.007199254740994e+15")
    #expect(DoubleTextTests.text(0.0001) == "0.0001")
    #expect(DoubleTextTests.text(0.00001) == "1e-05")
    #expect(DoubleTextTests.text(-2.2250738585072014e-308).utf8.count == DoubleText.maximumLength)
  }

  static func text(_ value: Double) -> String {
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
    defer { scratch.deallocate() }
    return String(decoding: UnsafeRawBufferPointer(start: scratch, count: DoubleText.write(value, at: scratch)), as: UTF8.self)
  }

  /// xorshift64: fast and reproducible.
  struct Generator {
    var state: UInt64

    mutating func next() -> UInt64 {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return state
    }

    /// A decimal of 1–17 random digits times a random power of ten, read back by `strtod` (the
    /// correctly rounded double of the text).
    mutating func decimal() -> Double {
      let random = next()
      let digitCount = Int(random % 17) + 1
      var digits = next()
      var text: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
      return withUnsafeMutableBytes(of: &text) { buffer in
        for index in 0..<digitCount {
          buffer[index] = UInt8(ascii: "0") + UInt8(digits % 10)
          digits /= 10
        }
        var exponent = Int((random >> 8) % 660) - 340
        buffer[digitCount] = UInt8(ascii: "e")
        var cursor = digitCount + 1
        if exponent < 0 {
          buffer[cursor] = UInt8(ascii: "-")
          cursor += 1
          exponent = -exponent
        }
        for divisor in [100, 10, 1] {
          buffer[cursor] = UInt8(ascii: "0") + UInt8(exponent / divisor % 10)
          cursor += 1
        }
        return strtod(buffer.baseAddress!.assumingMemoryBound(to: CChar.self), nil)
      }
    }
  }
}
