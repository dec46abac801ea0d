import Analysis
import Foundation
import LogParse
import Testing

@testable import diagnose

/// The series renderers' fast row writing (digits without `String`s, reused number texts, the
/// source field copied at once) gives the text a plain `String`-built row gives.
@Suite("Series rows as plain string formatting writes them")
struct SeriesRendererTests {
  /// Renders `rows` with `renderer` through an ``OutputBuffer`` into a file; returns the text.
  static func rendered<Renderer: SeriesRenderer>(
    _ renderer: Renderer, source: String, _ rows: [(TrainingStep, RowNumbering)]
  ) throws -> String {
    var renderer = renderer
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("series-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: url) }
    let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    #expect(descriptor >= 0)
    var output = OutputBuffer(fileDescriptor: descriptor)
    renderer.begin(into: &output)
    renderer.startSource(source)
    for (record, numbering) in rows { renderer.write(record, numbering, into: &output) }
    output.flush()
    close(descriptor)
    return try String(contentsOf: url, encoding: .utf8)
  }

  /// Python's spelling of a number in CSV.
  static func python(_ value: Double?) -> String {
    guard let value else { return "" }
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return value.description
  }

  static func json(_ value: Double?) -> String {
    guard let value else { return "null" }
    return JSONText.number(value)
  }

  static func text(_ value: Int?, absent: String) -> String { value.map(String.init) ?? absent }

  /// The CSV row built with `String`s.
  static func csvRow(_ source: String, _ record: TrainingStep, _ numbering: RowNumbering) -> String {
    let fields = [
      SeriesCSVRenderer.field(source), String(record.location.line), String(numbering.step), python(record.epoch),
      python(record.loss), python(record.gradNorm), python(record.learningRate), numbering.stepBasis.rawValue,
      String(numbering.run), python(record.lossScale), text(numbering.skipped, absent: ""),
      String(numbering.overflowCount), text(record.globalBatchSize, absent: ""), text(record.rank, absent: ""),
    ]
    return fields.joined(separator: ",")
  }

  static func jsonRow(_ source: String, _ record: TrainingStep, _ numbering: RowNumbering) -> String {
    "{\"source\":\(JSONText.string(source)),\"line\":\(record.location.line),\"step\":\(numbering.step),"
      + "\"epoch\":\(json(record.epoch)),\"loss\":\(json(record.loss)),\"grad_norm\":\(json(record.gradNorm)),"
      + "\"learning_rate\":\(json(record.learningRate)),\"step_basis\":\"\(numbering.stepBasis.rawValue)\","
      + "\"run\":\(numbering.run),\"loss_scale\":\(json(record.lossScale)),"
      + "\"skipped\":\(text(numbering.skipped, absent: "null")),\"overflow\":\(numbering.overflowCount),"
      + "\"global_batch_size\":\(text(record.globalBatchSize, absent: "null")),\"rank\":\(text(record.rank, absent: "null"))}"
  }

  /// Rows with every shape of value: repeats (reused texts), few decimals, 17 digits, huge and
  /// tiny magnitudes, signed zeros, non-finite values, absent values, integers of every width.
  static func rows(count: Int, seed: UInt64) -> [(TrainingStep, RowNumbering)] {
    var state = seed
    func next() -> UInt64 {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return state
    }
    func number() -> Double? {
      switch next() % 12 {
      case 0: return nil
      case 1: return [.nan, .infinity, -.infinity, 0.0, -0.0][Int(next() % 5)]
      case 2: return Double(bitPattern: next())
      case 3: return Double(Int(next() % 2_000_000) - 1_000_000) / 10_000
      case 4: return Double(next() % 1_000_000_000) / 100
      case 5: return Double(next() >> 11) / Double(1 << 53) * 3e-4
      case 6: return Double(next() >> 11) * 1e-300
      case 7: return Double(next()) * 1e290
      case 8: return Double(next() % 100_000_000_000_000_000)
      default: return 2.5648
      }
    }
    func integer() -> Int {
      switch next() % 4 {
      case 0: return Int(next() % 10)
      case 1: return Int(next() % 100_000_000)
      case 2: return Int(truncatingIfNeeded: next())
      default: return Int(next() % 1_000_000_000_000)
      }
    }
    let bases: [StepBasis] = [.logged, .loggingSteps, .order]
    return (0..<count).map { _ in
      let record = TrainingStep(
        location: SourceLocation(line: integer(), offset: 0), format: .huggingFaceDict, epoch: number(),
        loss: number(), gradNorm: number(), learningRate: number(), lossScale: number(),
        globalBatchSize: next() % 3 == 0 ? nil : integer(), rank: next() % 3 == 0 ? nil : integer())
      let numbering = RowNumbering(
        step: integer(), stepBasis: bases[Int(next() % 3)], run: integer(),
        skipped: next() % 2 == 0 ? nil : integer(), overflowCount: integer())
      return (record, numbering)
    }
  }

  @Test(
    "CSV rows match string-built rows, for short, long and quoted sources",
    arguments: ["run.log", "/a/path/that/is/longer/than/thirty-two/bytes/run.log", "odd,name \"x\".log", "-"])
  func csv(source: String) throws {
    let rows = Self.rows(count: 60_000, seed: UInt64(source.utf8.count))
    let text = try Self.rendered(SeriesCSVRenderer(), source: source, rows)
    let expected = ([String(describing: SeriesCSVRenderer.header)] + rows.map { Self.csvRow(source, $0.0, $0.1) })
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == expected.count)
    let mismatches = zip(lines, expected).filter { $0.0 != $0.1 }.prefix(3).map { "\($0.0)\n  expected \($0.1)" }
    #expect(mismatches.isEmpty, "\(mismatches)")
  }

  @Test("JSON Lines rows match string-built rows")
  func jsonLines() throws {
    let rows = Self.rows(count: 20_000, seed: 77)
    let text = try Self.rendered(SeriesJSONLinesRenderer(), source: "a \"quoted\" path.log", rows)
    let expected = rows.map { Self.jsonRow("a \"quoted\" path.log", $0.0, $0.1) }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == expected.count)
    let mismatches = zip(lines, expected).filter { $0.0 != $0.1 }.prefix(3).map { "\($0.0)\n  expected \($0.1)" }
    #expect(mismatches.isEmpty, "\(mismatches)")
  }
}
