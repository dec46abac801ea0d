import Analysis
import Foundation
import LogParse
import Testing

@testable import diagnose

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The charts chosen for a run from what its log printed (the fp16 loss scale only when printed).
@Suite("run charts")
struct RunChartsTests {
  /// A Megatron-shaped run: loss, grad norm, lr and an fp16 loss scale halved at steps 300 and 301.
  static func fp16Run() -> ReportedRun {
    var analyzer = RunAnalyzer(source: "megatron.log")
    var scale = 65536.0
    for step in 1...600 {
      if step == 300 || step == 301 { scale /= 2 }
      let record = TrainingStep(
        location: SourceLocation(line: step, offset: Int64(step * 100)), format: .megatronIteration, step: step,
        loss: 3.0 - Double(step) / 1000, gradNorm: 0.9, learningRate: 1e-4, lossScale: scale)
      analyzer.add(.trainingStep(record))
    }
    let runs = analyzer.finish()
    return ReportedRun(RunAssessment(diagnosis: runs[0], table: SettingsTable()), anchor: "run-1")
  }

  @Test("a printed fp16 loss scale gets its chart, with a tick for each halving; a missing metric gets none")
  func lossScaleChart() throws {
    let charts = RunCharts(run: Self.fp16Run()).charts()
    #expect(charts.map(\.title) == ["loss", "grad_norm (log scale)", "learning rate", "fp16 loss scale (log scale)"])
    let scale = try #require(charts.last)
    #expect(scale.logarithmic)
    #expect(scale.rugs.map(\.step) == [300, 301])
    #expect(scale.rugs.first?.label == "step 300: overflow, scale 65536 → 32768")
    let svg = scale.svg()
    #expect(svg.contains("<title>step 300: overflow, scale 65536 → 32768</title>"))
    #expect(XMLParser(data: Data(svg.utf8)).parse())
  }

  @Test("every chart of a run spans the same steps, so that they line up")
  func sharedStepAxis() {
    let charts = RunCharts(run: Self.fp16Run()).charts()
    #expect(charts.allSatisfy { $0.xDomain == 1...600 })
  }
}
