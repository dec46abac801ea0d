import Foundation
import Testing

@testable import diagnose

/// Reusing the last text of a column must never change what is written.
@Suite struct RepeatedNumberTests {
  /// Writes `values` one per line through `OutputBuffer` into a file and returns the lines.
  static func written(_ values: [Double], reusing: Bool) throws -> [Substring] {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("repeated-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: url) }
    let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    #expect(descriptor >= 0)
    var output = OutputBuffer(fileDescriptor: descriptor)
    var last = RepeatedNumber()
    for value in values {
      if reusing {
        output.writeRow(room: RowWriter.numberRoom) { $0.python(value, reusing: &last) }
      } else {
        output.append(python: value)
        output.endLine()
      }
    }
    output.flush()
    close(descriptor)
    return try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
  }

  @Test("runs of equal values, signed zeros, NaNs and infinities come out as without reuse")
  func sameTextAsWithoutReuse() throws {
    var values: [Double] = [
      0.0, 0.0, -0.0, -0.0, 0.0, .nan, .nan, -.nan, .infinity, .infinity, -.infinity, 1e-05, 1e-05,
    ]
    var state: UInt64 = 7
    for _ in 0..<100_000 {  // runs of repeated values, as an epoch or a constant learning rate gives
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let value = Double(state >> 40) / Double(1 << 20) * (state & 1 == 0 ? 1e-7 : 3)
      values += Array(repeating: value, count: Int(state >> 60) + 1)
    }
    let expected = values.map { value in
      value.isNaN ? "nan" : value.isInfinite ? (value < 0 ? "-inf" : "inf") : value.description
    }
    let reused = try Self.written(values, reusing: true)
    #expect(reused.count == values.count)
    #expect(zip(reused, expected).allSatisfy { $0 == $1 })
    #expect(try Self.written(values, reusing: false) == reused)
  }

  @Test("integers written by a row writer read as their description, for every digit count and sign")
  func integersAsDescription() throws {
    var values: [Int] = [0, 1, -1, 9, 10, 11, 99, 100, 101, -100, Int.max, Int.min, Int.min + 1]
    var power = 1
    for _ in 0..<18 {
      power *= 10
      values += [power - 1, power, power + 1, -power, -(power - 1)]
    }
    var state: UInt64 = 11
    for _ in 0..<10_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      values.append(Int(truncatingIfNeeded: state) >> Int(state >> 58))
    }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("integers-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: url) }
    let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    #expect(descriptor >= 0)
    var output = OutputBuffer(fileDescriptor: descriptor)
    for value in values {
      output.writeRow(room: 20) { $0.int(value) }
    }
    output.flush()
    close(descriptor)
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
    #expect(lines == values.map { Substring($0.description) })
  }
}
