import Testing

@testable import LogParse

@Suite("Numbers as logs print them")
struct NumberParserTests {
  @Test(
    "the forms Python, JSON and Megatron print are read exactly",
    arguments: [
      ("5e-05", 5e-05), ("1.2055455093429777e-07", 1.2055455093429777e-07), ("2.999E-04", 2.999E-04),
      ("1.244238E+01", 1.244238E+01), ("4294967296", 4294967296), ("32768.0", 32768), ("1.000000e+10", 1e10),
      ("0.0", 0), ("-0.0", -0.0), ("0", 0), ("-3.5", -3.5), ("+2", 2), ("1e999", .infinity),
    ])
  func finite(_ text: String, _ expected: Double) {
    let value = Array(text.utf8).withUnsafeBytes { NumberParser.parseDouble($0) }
    #expect(value == expected)
    #expect(value?.sign == expected.sign)
  }

  @Test("nan and infinity spellings", arguments: ["nan", "NaN", "inf", "-inf", "Infinity", "-Infinity"])
  func nonFinite(_ text: String) throws {
    let value = try #require(Array(text.utf8).withUnsafeBytes { NumberParser.parseDouble($0) })
    if text.lowercased().contains("nan") {
      #expect(value.isNaN)
    } else {
      #expect(value.isInfinite)
      #expect((value < 0) == text.hasPrefix("-"))
    }
  }

  @Test("text that is not a whole number is refused", arguments: ["", "abc", "1.0x", "0x10", "infinity", "1,5", "None", "1.0 "])
  func refused(_ text: String) {
    #expect(Array(text.utf8).withUnsafeBytes { NumberParser.parseDouble($0) } == nil)
  }

  @Test("integers with thousands separators")
  func integers() {
    #expect(Array("5,490".utf8).withUnsafeBytes { NumberParser.parseInt($0) } == 5490)
    #expect(Array("424,102,912".utf8).withUnsafeBytes { NumberParser.parseInt($0) } == 424_102_912)
    #expect(Array("-12".utf8).withUnsafeBytes { NumberParser.parseInt($0) } == -12)
    #expect(Array("99999999999999999999".utf8).withUnsafeBytes { NumberParser.parseInt($0) } == nil)
    #expect(Array("1.5".utf8).withUnsafeBytes { NumberParser.parseInt($0) } == nil)
  }
}
