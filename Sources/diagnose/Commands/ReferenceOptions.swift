import Analysis
import ArgumentParser
import LogParse

/// The batch and learning rate to compare with: `--reference-batch`/`--reference-lr`, or a baseline
/// log's total batch and learning rate. Shared by `report` and `preflight`.
struct ReferenceOptions: ParsableArguments {
  @Option(help: "A log of a run that behaved, to compare batch size and learning rate with.")
  var baseline: String?

  @Option(help: "A total batch size whose learning rate (--reference-lr) is known to work.")
  var referenceBatch: Int?

  @Option(help: "The learning rate known to work at --reference-batch.")
  var referenceLr: Double?

  func validate() throws {
    if (referenceBatch == nil) != (referenceLr == nil) {
      throw ValidationError("--reference-batch and --reference-lr go together")
    }
    if baseline != nil && referenceBatch != nil {
      throw ValidationError("give --baseline or --reference-batch/--reference-lr, not both")
    }
  }

  func load(_ reporter: inout InputReporter) -> Reference? {
    if let referenceBatch, let referenceLr {
      return Reference(
        totalBatch: referenceBatch, learningRate: referenceLr,
        origin: "--reference-batch \(referenceBatch) --reference-lr \(ShortNumber.format(referenceLr))")
    }
    guard let baseline else { return nil }
    var analyzer = RunAnalyzer(source: baseline, announcing: false)
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
