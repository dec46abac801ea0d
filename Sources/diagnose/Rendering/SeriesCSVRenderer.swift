import Analysis
import LogParse

/// CSV with a header row; absent values are empty, non-finite ones `nan`/`inf`/`-inf`.
struct SeriesCSVRenderer: SeriesRenderer {
  static let header: StaticString =
    "source,line,step,epoch,loss,grad_norm,learning_rate,step_basis,run,loss_scale,skipped,overflow,global_batch_size,rank"
  /// The source column's bytes, kept as bytes: appending a `String` per row retains and
  /// releases its storage.
  private var sourceField: [UInt8] = []
  /// The number columns' last values and texts (see ``RepeatedNumber``).
  private var epoch = RepeatedNumber()
  private var loss = RepeatedNumber()
  private var gradNorm = RepeatedNumber()
  private var learningRate = RepeatedNumber()
  private var lossScale = RepeatedNumber()

  func begin(into output: inout OutputBuffer) {
    output.append(Self.header)
    output.endLine()
  }

  mutating func startSource(_ source: String) {
    sourceField = Array(Self.field(source).utf8)
  }

  /// A row's bytes after the source field: 13 commas, 7 integers, 5 numbers and the step basis.
  private static let rowRoom = 13 + 7 * 20 + 5 * RowWriter.numberRoom + 13

  mutating func write(_ row: SeriesRow, into output: inout OutputBuffer) {
    // The source may be any length: the one field appended with checks.
    sourceField.withUnsafeBytes { output.append($0) }
    output.writeRow(room: Self.rowRoom) { writer in
      writer.byte(0x2C)
      writer.int(row.location.line)
      writer.byte(0x2C)
      writer.int(row.step)
      Self.write(row.epoch, &epoch, &writer)
      Self.write(row.loss, &loss, &writer)
      Self.write(row.gradNorm, &gradNorm, &writer)
      Self.write(row.learningRate, &learningRate, &writer)
      writer.byte(0x2C)
      switch row.stepBasis {
      case .logged: writer.bytes("logged")
      case .loggingSteps: writer.bytes("logging_steps")
      case .order: writer.bytes("order")
      }
      writer.byte(0x2C)
      writer.int(row.run)
      Self.write(row.lossScale, &lossScale, &writer)
      Self.write(row.skipped, &writer)
      Self.write(row.overflowCount, &writer)
      Self.write(row.globalBatchSize, &writer)
      Self.write(row.rank, &writer)
    }
  }

  @inline(__always)
  private static func write(_ value: Int?, _ writer: inout RowWriter) {
    writer.byte(0x2C)
    if let value { writer.int(value) }
  }

  @inline(__always)
  private static func write(_ value: Double?, _ last: inout RepeatedNumber, _ writer: inout RowWriter) {
    writer.byte(0x2C)
    if let value { writer.python(value, reusing: &last) }
  }

  /// A CSV field, quoted when it holds a comma, a quote or a line break.
  static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    var quoted = "\""
    for character in text {
      quoted.append(character)
      if character == "\"" { quoted.append("\"") }
    }
    return quoted + "\""
  }
}
