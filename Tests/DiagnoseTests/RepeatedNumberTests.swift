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

  @Test("a column that changes for a long time and then repeats (kept only now and then) comes out as without reuse")
  func longChangingStretchesThenRepeats() throws {
    var values: [Double] = []
    var state: UInt64 = 19
    for stretch in 0..<400 {
      // Distinct values for a while (texts no longer kept), then one value again and again.
      for _ in 0..<(stretch % 37) {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        values.append(Double(bitPattern: state >> 2))
      }
      let repeated = Double(stretch % 5) * 1.25e-4 + Double(stretch) * 1e-9
      values += Array(repeating: repeated, count: stretch % 23)
    }
    let expected = values.map { value in
      value.isNaN ? "nan" : value.isInfinite ? (value < 0 ? "-inf" : "inf") : value.description
    }
    let reused = try Self.written(values, reusing: true)
    #expect(reused.count == values.count)
    #expect(zip(reused, expected).allSatisfy { $0 == $1 })
  }

  @Test("numbers with at most six decimals, and their neighbours, are spelled as description spells them")
  func fewDecimalsAndNeighbours() throws {
    var values: [Double] = []
    var state: UInt64 = 23
    for _ in 0..<60_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      // r / 10^d for d up to six: the texts the short path writes; their neighbours must not take it.
      let decimals = Int(state >> 61) % 7
      let value = Double((state >> 20) % 1_000_000_000_000_000) / Double(DecimalDigits.powersOfTen[decimals])
      values += [value, value.nextUp, value.nextDown, -value]
    }
    let expected = values.map { value in
      value.isNaN ? "nan" : value.isInfinite ? (value < 0 ? "-inf" : "inf") : value.description
    }
    let reused = try Self.written(values, reusing: true)
    #expect(reused.count == values.count)
    #expect(zip(reused, expected).allSatisfy { $0 == $1 })
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

  @Test("numbers with few decimals (the row writer's own path) read as their description")
  func fewDecimalsAsDescription() throws {
    var values: [Double] = [
      1e-4, 0.00011, 9.9e-5, 0.0001000001, 0x1p31, 0x1p31 - 1, 2147483647.5, 1e7, 0.5, 5.0, 12.0, 0.1, 0.2, 0.3,
      2.5648, 1.0000005, 1.00000049999, 0.999_999_5, 0.000_123, 4503.599_627_370_496, 0.07, 1e-3,
    ]
    var state: UInt64 = 3
    for _ in 0..<200_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let decimals = Int(state >> 61) + Int((state >> 58) & 1)  // 0 to 8
      var scale = 1.0
      for _ in 0..<decimals { scale *= 10 }
      let magnitude = Double((state >> 20) % 10_000_000_000) / scale / Double(1 << Int((state >> 4) & 7))
      let value = state & 1 == 0 ? magnitude : -magnitude
      values += [value, value.nextUp, value.nextDown]
    }
    let expected = values.map { $0.description }
    let written = try Self.written(values, reusing: true)
    #expect(written.count == values.count)
    let mismatches = zip(written, expected).filter { $0 != $1 }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }
}
