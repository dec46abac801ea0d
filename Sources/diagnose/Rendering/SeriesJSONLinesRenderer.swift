import Analysis
import LogParse

/// One JSON object per row. Non-finite values are written as Python's json module writes them
/// (`NaN`, `Infinity`, `-Infinity`); absent values as `null`.
struct SeriesJSONLinesRenderer: SeriesRenderer {
  private var sourcePrefix = ""

  func begin(into output: inout OutputBuffer) {}

  mutating func startSource(_ source: String) {
    sourcePrefix = "{\"source\":\(JSONText.string(source)),\"line\":"
  }

  func write(_ record: borrowing TrainingStep, _ numbering: RowNumbering, into output: inout OutputBuffer) {
    output.append(sourcePrefix)
    output.append(record.location.line)
    output.append(",\"step\":" as StaticString)
    output.append(numbering.step)
    output.append(",\"epoch\":" as StaticString)
    JSONText.append(record.epoch, to: &output)
    output.append(",\"loss\":" as StaticString)
    JSONText.append(record.loss, to: &output)
    output.append(",\"grad_norm\":" as StaticString)
    JSONText.append(record.gradNorm, to: &output)
    output.append(",\"learning_rate\":" as StaticString)
    JSONText.append(record.learningRate, to: &output)
    output.append(",\"step_basis\":\"" as StaticString)
    output.append(numbering.stepBasis.rawValue)
    output.append("\",\"run\":" as StaticString)
    output.append(numbering.run)
    output.append(",\"loss_scale\":" as StaticString)
    JSONText.append(record.lossScale, to: &output)
    output.append(",\"skipped\":" as StaticString)
    Self.append(numbering.skipped, &output)
    output.append(",\"overflow\":" as StaticString)
    output.append(numbering.overflowCount)
    output.append(",\"global_batch_size\":" as StaticString)
    Self.append(record.globalBatchSize, &output)
    output.append(",\"rank\":" as StaticString)
    Self.append(record.rank, &output)
    output.append("}" as StaticString)
    output.endLine()
  }

  private static func append(_ value: Int?, _ output: inout OutputBuffer) {
    if let value { output.append(value) } else { output.append("null" as StaticString) }
  }
}
