import LogParse
import Testing

@testable import Analysis

@Suite("Run segments")
struct RunSegmentTests {
  static func at(_ line: Int) -> LogParse.SourceLocation { LogParse.SourceLocation(line: line, offset: Int64(line)) }

  static func record(_ line: Int, step: Int? = nil, loss: Double = 2) -> LogEvent {
    .trainingStep(TrainingStep(location: Self.at(line), format: .huggingFaceDict, step: step, loss: loss))
  }

  @Test("a new run in the same log starts a segment with a restart finding")
  func restart() {
    var analyzer = RunAnalyzer(source: "log")
    analyzer.add(.runBoundary(RunBoundary(location: Self.at(1), kind: .start)))
    for line in 2...11 { analyzer.add(Self.record(line)) }
    analyzer.add(.runBoundary(RunBoundary(location: Self.at(12), kind: .start)))
    for line in 13...17 { analyzer.add(Self.record(line)) }
    let runs = analyzer.finish()
    #expect(runs.map(\.run) == [0, 1])
    #expect(runs.map(\.logged) == [10, 5])
    #expect(runs[1].firstStep == 1)
    #expect(runs[1].findings.first?.kind == .restart)
    #expect(runs[1].findings.first?.evidence.first?.line == 12)
  }

  @Test("a resume numbers HF records on from the checkpoint's step")
  func resume() {
    var analyzer = RunAnalyzer(source: "log")
    analyzer.add(
      .setting(SettingEvent(location: Self.at(1), name: "logging_steps", value: .int(10), source: .hfBanner)))
    for line in 2...6 { analyzer.add(Self.record(line)) }
    analyzer.add(.runBoundary(RunBoundary(location: Self.at(7), kind: .resume, fromStep: 40)))
    for line in 8...10 { analyzer.add(Self.record(line)) }
    let runs = analyzer.finish()
    #expect(runs.count == 2)
    #expect(Array(runs[0].series.steps) == [10, 20, 30, 40, 50])
    #expect(Array(runs[1].series.steps) == [50, 60, 70])
    #expect(runs[1].findings.first?.kind == .resume)
    #expect(runs[1].findings.first?.message.contains("step 40") == true)
  }

  @Test("a step counter going back starts a segment; the same step again is a duplicate")
  func stepGoingBack() {
    var analyzer = RunAnalyzer(source: "log")
    for (line, step) in [(1, 100), (2, 110), (3, 110), (4, 120), (5, 50), (6, 60)] {
      analyzer.add(Self.record(line, step: step))
    }
    let runs = analyzer.finish()
    #expect(runs.map(\.logged) == [3, 2])
    #expect(runs[1].findings.first?.kind == .restart)
    #expect(runs[1].findings.first?.step == 50)
  }

  @Test("warmup_ratio × max_steps gives the warm-up end when warmup_steps is not stated")
  func warmupRatio() {
    var analyzer = RunAnalyzer(source: "log")
    analyzer.add(
      .setting(SettingEvent(location: Self.at(1), name: "warmup_ratio", value: .double(0.03), source: .hfBanner)))
    analyzer.add(.setting(SettingEvent(location: Self.at(2), name: "max_steps", value: .int(1000), source: .hfBanner)))
    for line in 3...60 { analyzer.add(Self.record(line)) }
    let end = analyzer.finish().first?.findings.first { $0.kind == .warmupEnd }
    #expect(end?.step == 30)
  }

  @Test("DeepSpeed step= lines between HF dicts neither split the run nor become points")
  func deepSpeedCountersBesideDicts() {
    var analyzer = RunAnalyzer(source: "log")
    var line = 0
    for index in 1...120 {
      line += 1
      analyzer.add(Self.record(line, loss: 2 + Double(index % 3) * 0.01))
      if index % 50 == 0 {
        line += 1
        analyzer.add(
          .trainingStep(
            TrainingStep(location: Self.at(line), format: .deepSpeedStep, step: index, learningRate: 1e-4, skipped: 0)))
      }
    }
    let runs = analyzer.finish()
    #expect(runs.count == 1)
    #expect(runs.first?.logged == 120)
    #expect(runs.first?.lastStep == 120)
    #expect(runs.first?.formats == ["hf-dict", "deepspeed-step"])
    #expect(runs.first?.findings.filter { $0.severity > .info }.isEmpty == true)
  }

  @Test("records repeated by other ranks are kept once")
  func otherRanks() {
    var analyzer = RunAnalyzer(source: "log")
    var line = 0
    for _ in 1...30 {
      for rank in [0, 1] {
        line += 1
        analyzer.add(
          .trainingStep(TrainingStep(location: Self.at(line), format: .huggingFaceDict, loss: 2, rank: rank)))
      }
    }
    let runs = analyzer.finish()
    #expect(runs.first?.logged == 30)
    #expect(runs.first?.lastStep == 30)
  }
}
