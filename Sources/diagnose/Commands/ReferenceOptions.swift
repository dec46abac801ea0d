import Analysis
import LogParse

/// The batch and learning rate to compare with: `--reference-batch`/`--reference-lr`, or a baseline
/// log's total batch and learning rate.
struct ReferenceOptions {
  var baseline: String?
  var batch: Int?
  var learningRate: Double?

  func load(_ reporter: inout InputReporter) -> Reference? {
    if let batch, let learningRate {
      return Reference(
        totalBatch: batch, learningRate: learningRate,
        origin: "--reference-batch \(batch) --reference-lr \(ShortNumber.format(learningRate))")
    }
    guard let baseline else { return nil }
    var analyzer = RunAnalyzer(source: baseline)
    let inputs = RunInputs.read(baseline, configs: [], allowBinary: false, reporter: &reporter) { analyzer.add($0) }
    guard let run = analyzer.finish().last(where: { $0.logged > 0 }),
      let reference = Reference(baseline: run, table: inputs.table, origin: "baseline \(baseline)")
    else {
      StandardError.write("diagnose: warning: \(baseline): no total batch and learning rate to compare with\n")
      return nil
    }
    return reference
  }
}
