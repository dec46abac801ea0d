import Analysis
import LogParse

/// One JSON object per row. Non-finite values are written as Python's json module writes them
/// (`NaN`, `Infinity`, `-Infinity`); absent values as `null`.
struct SeriesJSONLinesRenderer: SeriesRenderer {
  /// `{"source":"…","line":` as bytes, appended once per row.
  private var sourcePrefix: [UInt8] = []
  /// The number fields' last values and texts (see ``RepeatedNumber``).
  private var epoch = RepeatedNumber()
  private var loss = RepeatedNumber()
  private var gradNorm = RepeatedNumber()
  private var learningRate = RepeatedNumber()
  private var lossScale = RepeatedNumber()

  func begin(into output: inout OutputBuffer) {}

  mutating func startSource(_ source: String) {
    sourcePrefix = Array("{\"source\":\(JSONText.string(source)),\"line\":".utf8)
  }

  /// A row's bytes after the source prefix: the keys and punctuation (158 bytes with the longest
  /// step basis), 7 integers (or `null`) and 5 numbers.
  private static let rowRoom = 160 + 7 * 20 + 5 * RowWriter.numberRoom

  mutating func write(_ record: borrowing TrainingStep, _ numbering: RowNumbering, into output: inout OutputBuffer) {
    sourcePrefix.withUnsafeBytes { output.append($0) }
    output.writeRow(room: Self.rowRoom) { writer in
      writer.int(record.location.line)
      writer.bytes(",\"step\":")
      writer.int(numbering.step)
      writer.bytes(",\"epoch\":")
      Self.write(record.epoch, &epoch, &writer)
      writer.bytes(",\"loss\":")
      Self.write(record.loss, &loss, &writer)
      writer.bytes(",\"grad_norm\":")
      Self.write(record.gradNorm, &gradNorm, &writer)
      writer.bytes(",\"learning_rate\":")
      Self.write(record.learningRate, &learningRate, &writer)
      switch numbering.stepBasis {
      case .logged: writer.bytes(",\"step_basis\":\"logged\",\"run\":")
      case .loggingSteps: writer.bytes(",\"step_basis\":\"logging_steps\",\"run\":")
      case .order: writer.bytes(",\"step_basis\":\"order\",\"run\":")
      }
      writer.int(numbering.run)
      writer.bytes(",\"loss_scale\":")
      Self.write(record.lossScale, &lossScale, &writer)
      writer.bytes(",\"skipped\":")
      Self.write(numbering.skipped, &writer)
      writer.bytes(",\"overflow\":")
      writer.int(numbering.overflowCount)
      writer.bytes(",\"global_batch_size\":")
      Self.write(record.globalBatchSize, &writer)
      writer.bytes(",\"rank\":")
      Self.write(record.rank, &writer)
      writer.byte(UInt8(ascii: "}"))
    }
  }

  @inline(__always)
  private static func write(_ value: Int?, _ writer: inout RowWriter) {
    if let value { writer.int(value) } else { writer.bytes("null") }
  }

  @inline(__always)
  private static func write(_ value: Double?, _ last: inout RepeatedNumber, _ writer: inout RowWriter) {
    if let value { writer.json(value, reusing: &last) } else { writer.bytes("null") }
  }
}
