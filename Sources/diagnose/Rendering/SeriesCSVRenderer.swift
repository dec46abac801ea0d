import Analysis
import LogParse

/// CSV with a header row; absent values are empty, non-finite ones `nan`/`inf`/`-inf`.
struct SeriesCSVRenderer: SeriesRenderer {
  static let header: StaticString =
    "source,line,step,epoch,loss,grad_norm,learning_rate,step_basis,run,loss_scale,skipped,overflow,global_batch_size,rank"
  private var sourceField = ""
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
    sourceField = Self.field(source)
  }

  mutating func write(_ row: SeriesRow, into output: inout OutputBuffer) {
    output.append(sourceField)
    output.append(byte: 0x2C)
    output.append(row.location.line)
    output.append(byte: 0x2C)
    output.append(row.step)
    Self.append(row.epoch, &epoch, &output)
    Self.append(row.loss, &loss, &output)
    Self.append(row.gradNorm, &gradNorm, &output)
    Self.append(row.learningRate, &learningRate, &output)
    output.append(byte: 0x2C)
    output.append(row.stepBasis.rawValue)
    output.append(byte: 0x2C)
    output.append(row.run)
    Self.append(row.lossScale, &lossScale, &output)
    Self.append(row.skipped, &output)
    Self.append(row.overflowCount, &output)
    Self.append(row.globalBatchSize, &output)
    Self.append(row.rank, &output)
    output.endLine()
  }

  private static func append(_ value: Int?, _ output: inout OutputBuffer) {
    output.append(byte: 0x2C)
    if let value { output.append(value) }
  }

  private static func append(_ value: Double?, _ last: inout RepeatedNumber, _ output: inout OutputBuffer) {
    output.append(byte: 0x2C)
    if let value { output.append(python: value, reusing: &last) }
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
