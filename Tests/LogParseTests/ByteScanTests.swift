import Testing

@testable import LogParse

/// The vectorised newline count against a plain byte loop written here.
@Suite("ByteScan newline count")
struct ByteScanTests {
  /// Newlines at irregular places (and runs of them), so that every lane and block edge is hit.
  private static func sample(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let draw = state >> 33
      if draw % 5 == 0 { return 0x0A }
      return draw % 11 == 0 ? 0x0D : UInt8(0x20 + draw % 90)
    }
  }

  /// AVX-512BW, AVX2 and the byte loop (a width the CPU lacks falls back to the next one).
  private static let widths = [64, 32, 0]

  private static func byteLoop(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
    var count = 0
    for index in range where bytes[index] == 0x0A { count += 1 }
    return count
  }

  @Test("counts like a byte loop at every alignment and every length from 0 to 300")
  func everyAlignmentAndLength() {
    let bytes = Self.sample(count: 400, seed: 7)
    bytes.withUnsafeBytes { buffer in
      for start in 0..<64 {
        for length in 0...300 where start + length <= bytes.count {
          let range = start..<(start + length)
          let expected = Self.byteLoop(bytes, range)
          for width in Self.widths {
            #expect(ByteScan.countNewlines(buffer, in: range, widestVector: width) == expected)
          }
        }
      }
    }
  }

  @Test("counts like a byte loop across 1 MiB buffers, all newlines and none")
  func largeBuffers() {
    let random = Self.sample(count: 1 << 20, seed: 42)
    let allNewlines = [UInt8](repeating: 0x0A, count: (1 << 20) + 77)
    let noNewlines = [UInt8](repeating: 0x41, count: (1 << 20) + 5)
    for bytes in [random, allNewlines, noNewlines] {
      bytes.withUnsafeBytes { buffer in
        for range in [0..<bytes.count, 1..<bytes.count, 3..<(bytes.count - 61), 4096..<(4096 + 65_537)] {
          let expected = Self.byteLoop(bytes, range)
          for width in Self.widths {
            #expect(ByteScan.countNewlines(buffer, in: range, widestVector: width) == expected)
          }
        }
      }
    }
    #expect(
      allNewlines.withUnsafeBytes { ByteScan.countNewlines($0, in: 0..<allNewlines.count) } == allNewlines.count)
  }
}
