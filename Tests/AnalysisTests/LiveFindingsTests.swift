import LogParse
import Testing

@testable import Analysis

/// The hooks a live watcher uses: each finding handed out once, in raise order, with its run.
@Suite("Live findings")
struct LiveFindingsTests {
  @Test("takeNewFindings hands out every online finding once, with the segment it was raised in")
  func eachFindingOnce() {
    let log = ExampleLog(
      steps: 400, seed: 11,
      injections: [.spike(step: 120, factor: 4), .resume(step: 250, fromStep: 200), .spike(step: 330, factor: 4)])
    var analyzer = RunAnalyzer(source: "live.log")
    var taken: [(run: Int, finding: Finding)] = []
    for event in log.events {
      analyzer.add(event)
      taken += analyzer.takeNewFindings()
      #expect(analyzer.takeNewFindings().isEmpty)
    }
    let diagnoses = analyzer.finish()
    #expect(diagnoses.count == 2)
    #expect(analyzer.currentRun == 1)
    let spikes = taken.filter { $0.finding.kind == .lossSpike }
    // The resume renumbers: the second spike is at step 200 + (330 − 250) + 1.
    #expect(spikes.map(\.finding.step) == [120, 281])
    #expect(spikes.map(\.run) == [0, 1])
    #expect(taken.contains { $0.run == 1 && $0.finding.kind == .resume })
    // Every finding the post-mortem keeps from the online pass was handed out live, in its run.
    for diagnosis in diagnoses {
      for finding in diagnosis.findings where finding.kind == .lossSpike {
        #expect(
          taken.contains {
            $0.run == diagnosis.run && $0.finding.step == finding.step && $0.finding.kind == finding.kind
          })
      }
    }
  }

  @Test("the verdict so far turns unstable at a critical spike, before any hindsight")
  func verdictSoFar() {
    let log = ExampleLog(steps: 200, injections: [.spike(step: 120, factor: 3)])
    var analyzer = RunAnalyzer(source: "live.log")
    var verdictAt: [Int: Verdict] = [:]
    for event in log.events {
      analyzer.add(event)
      if let step = analyzer.lastStep { verdictAt[step] = analyzer.verdictSoFar }
    }
    #expect(verdictAt[119] == .healthy)
    #expect(verdictAt[120] == .unstable)
  }
}
