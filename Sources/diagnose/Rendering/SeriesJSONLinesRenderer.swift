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

  func write(_ row: SeriesRow, into output: inout OutputBuffer) {
    output.append(sourcePrefix)
    output.append(row.location.line)
    output.append(",\"step\":" as StaticString)
    output.append(row.step)
    output.append(",\"epoch\":" as StaticString)
    JSONText.append(row.epoch, to: &output)
    output.append(",\"loss\":" as StaticString)
    JSONText.append(row.loss, to: &output)
    output.append(",\"grad_norm\":" as StaticString)
    JSONText.append(row.gradNorm, to: &output)
    output.append(",\"learning_rate\":" as StaticString)
    JSONText.append(row.learningRate, to: &output)
    output.append(",\"step_basis\":\"" as StaticString)
    output.append(row.stepBasis.rawValue)
    output.append("\",\"run\":" as StaticString)
    output.append(row.run)
    output.append(",\"loss_scale\":" as StaticString)
    JSONText.append(row.lossScale, to: &output)
    output.append(",\"skipped\":" as StaticString)
    Self.append(row.skipped, &output)
    output.append(",\"overflow\":" as StaticString)
    output.append(row.overflowCount)
    output.append(",\"global_batch_size\":" as StaticString)
    Self.append(row.globalBatchSize, &output)
    output.append(",\"rank\":" as StaticString)
    Self.append(row.rank, &output)
    output.append("}" as StaticString)
    output.endLine()
  }

  private static func append(_ value: Int?, _ output: inout OutputBuffer) {
    if let value { output.append(value) } else { output.append("null" as StaticString) }
  }
}
