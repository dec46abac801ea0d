import Foundation
import Testing

@testable import LogParse

/// The fast number parser agrees with `strtod` bit for bit on generated text of every shape logs
/// print and of shapes chosen to break fast paths (performance.md item 2 asks for millions).
@Suite("Number parsing is exact against strtod")
struct NumberParserExactnessTests {
  /// A family of generated numbers, with how many of each the test reads.
  enum Family: String, CaseIterable, CustomTestStringConvertible {
    case shortestReprOfAnyDouble, pythonReprOfTrainingValues, subnormals, shortExponentForms
    case megatronForms, wideAndOutOfRangeExponents, longMantissas, exactTies, plainDecimals

    var count: Int {
      switch self {
      case .shortestReprOfAnyDouble, .pythonReprOfTrainingValues, .wideAndOutOfRangeExponents: 200_000
      case .subnormals, .shortExponentForms, .megatronForms, .plainDecimals: 100_000
      // Hundreds of digits each: fewer values, as many bytes.
      case .longMantissas: 50_000
      case .exactTies: 20_000
      }
    }

    var testDescription: String { rawValue }
  }

  @Test("every generated value parses to strtod's bits", arguments: Family.allCases)
  func agreesWithStrtod(_ family: Family) {
    var generator = Generator(seed: UInt64(family.rawValue.utf8.count) &* 0x9E37_79B9)
    var text: [UInt8] = []
    var mismatches: [String] = []
    var parsed = 0
    var decidedFast = 0
    for _ in 0..<family.count {
      text.removeAll(keepingCapacity: true)
      generator.write(family, into: &text)
      let expected = Self.strtodBits(text)
      let actual = text.withUnsafeBytes { NumberParser.parseDouble($0) }?.bitPattern
      if actual != expected, mismatches.count < 5 {
        mismatches.append(
          "\(String(decoding: text, as: UTF8.self)): got \(String(describing: actual)), strtod \(String(describing: expected))"
        )
      }
      if actual != nil { parsed += 1 }
      if let fast = text.withUnsafeBytes({ NumberParser.fastDouble($0) }) {
        decidedFast += 1
        if fast.bitPattern != expected, mismatches.count < 5 {
          mismatches.append("\(String(decoding: text, as: UTF8.self)): fast tier gave \(fast.bitPattern)")
        }
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches)")
    #expect(parsed == family.count)
    // strtod must stay the exception: ties hidden past the 19th digit are its only real work.
    if family != .exactTies {
      #expect(decidedFast * 100 >= family.count * 99, "fast tiers decided only \(decidedFast) of \(family.count)")
    }
  }

  @Test("a number parsed in place, its end found by parsing, reads as the whole token does", arguments: Family.allCases)
  func inPlaceAgreesWithToken(_ family: Family) {
    var generator = Generator(seed: UInt64(family.rawValue.utf8.count) &* 0x51_7CC1)
    let terminators: [[UInt8]] = [",", "}", "'", " ", "(", "x"].map { Array($0.utf8) }
    var text: [UInt8] = []
    var mismatches: [String] = []
    for _ in 0..<family.count / 4 {
      text.removeAll(keepingCapacity: true)
      generator.write(family, into: &text)
      let expected = text.withUnsafeBytes { NumberParser.parseDouble($0) }?.bitPattern
      let written = text + terminators[generator.below(terminators.count)]
      let actual = written.withUnsafeBytes { NumberParser.parseDecimalPrefix($0.baseAddress!, $0.count) }
      if actual?.value.bitPattern != expected || actual?.end != text.count, mismatches.count < 5 {
        mismatches.append("\(String(decoding: written, as: UTF8.self)): \(String(describing: actual))")
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches)")
  }

  @Test("in place, any bytes read as a number are the longest prefix the whole-token parser takes")
  func inPlaceOnArbitraryBytes() {
    var random = SplitMix(seed: 0xD1C7)
    let alphabet = Array("0123456789.eE+-,x".utf8) + Array(repeating: UInt8(ascii: "5"), count: 8)
    var mismatches: [String] = []
    for _ in 0..<200_000 {
      let bytes = (0..<(1 + random.next(below: 14))).map { _ in alphabet[random.next(below: alphabet.count)] }
      bytes.withUnsafeBytes { whole in
        let prefix = NumberParser.parseDecimalPrefix(whole.baseAddress!, whole.count)
        // The longest prefix that is one plain decimal: what the in-place reader must take.
        var longest: (value: Double, end: Int)?
        for end in stride(from: whole.count, to: 0, by: -1) {
          let part = UnsafeRawBufferPointer(rebasing: whole[0..<end])
          if DecimalText(part.baseAddress!, end) != nil, let value = NumberParser.parseDouble(part) {
            longest = (value, end)
            break
          }
        }
        if prefix?.end != longest?.end || prefix?.value.bitPattern != longest?.value.bitPattern, mismatches.count < 5 {
          mismatches.append("\(String(decoding: bytes, as: UTF8.self)): \(String(describing: prefix)) vs \(String(describing: longest))")
        }
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches)")
  }

  @Test("the families add up to at least a million values")
  func enoughValues() {
    #expect(Family.allCases.reduce(0) { $0 + $1.count } >= 1_000_000)
  }

  @Test(
    "edge values parse exactly",
    arguments: [
      "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2.2250738585072011e-308",
      "2.2250738585072014e-308", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
      "9007199254740993", "9007199254740992.5", "0.1", "1e23", "8.98846567431158e307", "1e-400", "1e400",
      "-1e400", "0e999999999999", "123456789012345678901234567890e-30", "0.000000000000000000000000000001e30",
      "5e-324", "1e-324", "18446744073709551615", "18446744073709551616", "1844674407370955161600e-2",
    ])
  func edges(_ text: String) {
    let bytes = Array(text.utf8)
    #expect(bytes.withUnsafeBytes { NumberParser.parseDouble($0) }?.bitPattern == Self.strtodBits(bytes))
  }

  static func strtodBits(_ text: [UInt8]) -> UInt64? {
    var terminated = text.map { CChar(bitPattern: $0) }
    terminated.append(0)
    return terminated.withUnsafeMutableBufferPointer { buffer -> UInt64? in
      var end: UnsafeMutablePointer<CChar>?
      let value = strtod(buffer.baseAddress!, &end)
      guard let end, buffer.baseAddress!.distance(to: end) == text.count else { return nil }
      return value.bitPattern
    }
  }
}

/// Deterministic number text (SplitMix64), written as bytes.
private struct Generator {
  private var random: SplitMix

  init(seed: UInt64) { random = SplitMix(seed: seed) }

  mutating func next() -> UInt64 { random.next() }

  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

  mutating func write(_ family: NumberParserExactnessTests.Family, into text: inout [UInt8]) {
    switch family {
    case .shortestReprOfAnyDouble:
      var value = Double(bitPattern: next())
      while !value.isFinite { value = Double(bitPattern: next()) }
      text += value.description.utf8
    case .pythonReprOfTrainingValues:
      // Losses, grad norms and learning rates: 1e-9 to 100, mostly 17 significant digits.
      let value = Double(bitPattern: next() >> 12 | 0x3FF0_0000_0000_0000) - 1
      text += (value * Self.powers[below(Self.powers.count)]).description.utf8
    case .subnormals:
      let value = Double(bitPattern: next() & 0x000F_FFFF_FFFF_FFFF | (next() & 1) << 63)
      if below(2) == 0 {
        text += value.description.utf8
      } else {
        digits(1 + below(25), into: &text)
        exponent(-(308 + below(40)), uppercase: false, into: &text)
      }
    case .shortExponentForms:
      // Python's `5e-05`, `1.5e-05`, `3e-4` and their kin.
      text.append(UInt8(ascii: "1") + UInt8(below(9)))
      if below(2) == 0 {
        text.append(UInt8(ascii: "."))
        digits(1 + below(4), into: &text)
      }
      exponent(-below(13), uppercase: false, into: &text)
    case .megatronForms:
      // `2.999E-04`, `1.244238E+01`: printf's %E with 3 to 6 decimals.
      if below(8) == 0 { text.append(UInt8(ascii: "-")) }
      text.append(UInt8(ascii: "1") + UInt8(below(9)))
      text.append(UInt8(ascii: "."))
      digits(3 + below(4), into: &text)
      exponent(below(30) - 15, uppercase: true, into: &text)
    case .wideAndOutOfRangeExponents:
      digits(1 + below(19), into: &text)
      switch below(10) {
      case 0: exponent(below(2) == 0 ? 99_999 : -99_999, uppercase: false, into: &text)
      case 1: text += "e-1000000000000000000000".utf8
      default: exponent(below(801) - 400, uppercase: below(2) == 0, into: &text)
      }
    case .longMantissas:
      digits(20 + below(381), into: &text)
      if below(3) > 0 {
        let point = 1 + below(text.count - 1)
        text.insert(UInt8(ascii: "."), at: point)
      }
      exponent(below(701) - 350, uppercase: false, into: &text)
    case .exactTies:
      exactTie(into: &text)
    case .plainDecimals:
      if below(4) == 0 { text.append(below(2) == 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")) }
      let zeros = below(3) == 0 ? below(25) : 0
      text += repeatElement(UInt8(ascii: "0"), count: zeros)
      switch below(4) {
      case 0: digits(1 + below(20), into: &text)
      case 1:
        text.append(UInt8(ascii: "."))
        digits(1 + below(20), into: &text)
      case 2:
        digits(1 + below(10), into: &text)
        text.append(UInt8(ascii: "."))
      default:
        digits(1 + below(10), into: &text)
        text.append(UInt8(ascii: "."))
        digits(1 + below(22), into: &text)
      }
    }
  }

  /// The exact decimal expansion of the midpoint of two neighbouring doubles (a tie strtod must
  /// round to even), sometimes nudged just above it. Float80 holds the midpoint exactly and glibc
  /// prints it exactly.
  private mutating func exactTie(into text: inout [UInt8]) {
    var value = Double(bitPattern: next() >> 1)
    while !value.isFinite || value == .greatestFiniteMagnitude { value = Double(bitPattern: next() >> 1) }
    let midpoint = (Float80(value) + Float80(value.nextUp)) / 2
    var buffer = [CChar](repeating: 0, count: 900)
    let written = withVaList([midpoint]) { vsnprintf(&buffer, buffer.count, "%.780Le", $0) }
    var printed = Array(buffer[0..<Int(written)].map { UInt8(bitPattern: $0) })
    if below(3) == 0, let e = printed.firstIndex(of: UInt8(ascii: "e")) {
      var end = e
      while printed[end - 1] == UInt8(ascii: "0") { end -= 1 }
      printed.replaceSubrange(end..<e, with: Array("0001".utf8))
    }
    text += printed
  }

  private mutating func digits(_ count: Int, into text: inout [UInt8]) {
    for _ in 0..<count { text.append(UInt8(ascii: "0") + UInt8(below(10))) }
  }

  private mutating func exponent(_ value: Int, uppercase: Bool, into text: inout [UInt8]) {
    text.append(uppercase ? UInt8(ascii: "E") : UInt8(ascii: "e"))
    text.append(value < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
    let magnitude = String(value.magnitude)
    if magnitude.count < 2 { text.append(UInt8(ascii: "0")) }
    text += magnitude.utf8
  }

  private static let powers: [Double] = [1e-9, 1e-7, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100]
}
