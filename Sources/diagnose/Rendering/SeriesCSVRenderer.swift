import Analysis
import LogParse

/// CSV with a header row; absent values are empty, non-finite ones `nan`/`inf`/`-inf`.
struct SeriesCSVRenderer: SeriesRenderer {
  static let header: StaticString =
    "source,line,step,epoch,loss,grad_norm,learning_rate,step_basis,run,loss_scale,skipped,overflow,global_batch_size,rank"
  /// The source column's bytes, kept as bytes: appending a `String` per row retains and
  /// releases its storage.
  private var sourceField: [UInt8] = []
  /// The source field again when it fits in 32 bytes, stored into the row with one wide copy
  /// instead of a bounds-checked append and a `memmove` call.
  private var shortSource: (UInt64, UInt64, UInt64, UInt64)?
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
    shortSource = nil
    if sourceField.count <= RowWriter.wideRoom {
      var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
      withUnsafeMutableBytes(of: &bytes) { $0.copyBytes(from: sourceField) }
      shortSource = bytes
    }
  }

  /// A row's bytes after the source field: 13 commas, 7 integers, 5 numbers and the step basis.
  private static let rowRoom = 13 + 7 * 20 + 5 * RowWriter.numberRoom + 13

  mutating func write(_ record: borrowing TrainingStep, _ numbering: RowNumbering, into output: inout OutputBuffer) {
    if let shortSource {
      let count = sourceField.count
      output.writeRow(room: RowWriter.wideRoom + Self.rowRoom) { writer in
        writer.wide(shortSource, count: count)
        writeFields(record, numbering, &writer)
      }
    } else {
      // A longer source: the one field appended with checks.
      sourceField.withUnsafeBytes { output.append($0) }
      output.writeRow(room: Self.rowRoom) { writeFields(record, numbering, &$0) }
    }
  }

  @inline(__always)
  private mutating func writeFields(_ record: borrowing TrainingStep, _ numbering: RowNumbering, _ writer: inout RowWriter) {
    writer.byte(0x2C)
    writer.int(record.location.line)
    writer.byte(0x2C)
    writer.int(numbering.step)
    Self.write(record.epoch, &epoch, &writer)
    Self.write(record.loss, &loss, &writer)
    Self.write(record.gradNorm, &gradNorm, &writer)
    Self.write(record.learningRate, &learningRate, &writer)
    writer.byte(0x2C)
    switch numbering.stepBasis {
    case .logged: writer.bytes("logged")
    case .loggingSteps: writer.bytes("logging_steps")
    case .order: writer.bytes("order")
    }
    writer.byte(0x2C)
    writer.int(numbering.run)
    Self.write(record.lossScale, &lossScale, &writer)
    Self.write(numbering.skipped, &writer)
    Self.write(numbering.overflowCount, &writer)
    Self.write(record.globalBatchSize, &writer)
    Self.write(record.rank, &writer)
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
