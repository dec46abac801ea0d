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

  @Test(
    "DeepSpeed's overflow messages draw the scale between them, a tick each; bf16 (scale 1 throughout) gets no chart")
  func lossScaleFromMessages() throws {
    var analyzer = RunAnalyzer(source: "ds.log")
    var scale = 65536.0
    for step in 1...400 {
      if step == 1 || step == 250 {
        analyzer.add(
          .overflow(
            OverflowEvent(
              location: SourceLocation(line: step * 2, offset: 0), kind: .reduced, step: nil, attemptedScale: scale,
              newScale: scale / 2)))
        scale /= 2
      }
      analyzer.add(
        .trainingStep(
          TrainingStep(
            location: SourceLocation(line: step * 2 + 1, offset: 0), format: .huggingFaceDict, step: step, loss: 2,
            learningRate: 1e-4)))
    }
    let run = ReportedRun(RunAssessment(diagnosis: analyzer.finish()[0], table: SettingsTable()), anchor: "run-1")
    let chart = try #require(RunCharts(run: run).charts().first { $0.title.hasPrefix("fp16 loss scale") })
    #expect(
      chart.rugs.map(\.label) == ["step 1: overflow, scale 65536 → 32768", "step 250: overflow, scale 32768 → 16384"])
    #expect(chart.series.first?.points.map(\.y) == [65536, 32768, 32768, 16384, 16384])
    #expect(chart.series.first?.points.last?.x == 400)

    var bf16 = RunAnalyzer(source: "megatron-bf16.log")
    for step in 1...50 {
      bf16.add(
        .trainingStep(
          TrainingStep(
            location: SourceLocation(line: step, offset: 0), format: .megatronIteration, step: step, loss: 2,
            lossScale: 1)))
    }
    let plain = ReportedRun(RunAssessment(diagnosis: bf16.finish()[0], table: SettingsTable()), anchor: "run-1")
    #expect(!RunCharts(run: plain).charts().contains { $0.title.hasPrefix("fp16 loss scale") })
  }
}
