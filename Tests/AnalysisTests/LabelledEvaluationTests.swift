import Foundation
import LogParse
import Testing

@testable import Analysis

/// The labelled evaluation: generated logs with injected events plus the real runs of
/// `../shared/corpus/runs` with their `truth.json`. Prints precision and recall per finding kind and
/// the error of `first_bad_step` (`swift test --filter LabelledEvaluation`, or `scripts/evaluate.sh`).
@Suite("Labelled evaluation")
struct LabelledEvaluationTests {
  static let generated = GeneratedRuns.all()

  static func score(_ runs: [LabelledRun]) -> EvaluationScore {
    var score = EvaluationScore()
    for run in runs { score.add(run, diagnoses: run.diagnose()) }
    return score
  }

  @Test("generated runs: no critical on healthy runs, divergence and NaN onset within one logged step, spikes found")
  func generatedRuns() {
    let score = Self.score(Self.generated)
    print("Labelled evaluation, \(Self.generated.count) generated runs\n\(score.table)")
    for outcome in score.outcomes {
      if outcome.expectedVerdict == .healthy {
        #expect(outcome.criticalKinds.isEmpty, "\(outcome.name): critical \(outcome.criticalKinds)")
      }
      #expect(outcome.verdict == outcome.expectedVerdict, "\(outcome.name): \(outcome.verdict)")
      if outcome.expectedVerdict == .diverged {
        let error = outcome.firstBadStepError
        #expect(
          error != nil && error! <= outcome.firstBadStepTolerance,
          "\(outcome.name): first bad step error \(String(describing: error))")
      }
      #expect(outcome.missed.filter { $0.kind == .lossSpike }.isEmpty, "\(outcome.name): spike missed")
    }
    #expect(score.counts[.lossSpike]?.recall == 1)
    #expect(score.counts[.divergence]?.recall == 1)
    #expect(score.counts[.nan]?.recall == 1)
  }

  @Test(
    "real runs of the shared corpus match their truth.json", .enabled(if: SharedCorpus.isAvailable, "needs ../shared"))
  func realRuns() throws {
    let directory = try #require(SharedCorpus.root).appendingPathComponent("runs")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    var runs: [LabelledRun] = []
    for name in names {
      let folder = directory.appendingPathComponent(name)
      let truthURL = folder.appendingPathComponent("truth.json")
      guard let data = try? Data(contentsOf: truthURL),
        let truth = try JSONSerialization.jsonObject(with: data) as? [String: Any]
      else { continue }
      var events: [LogEvent] = []
      _ = try LogScanner.scanFile(folder.appendingPathComponent("train.log").path) { events.append($0) }
      runs.append(Self.labelled(name: name, truth: truth, events: events))
    }
    #expect(runs.count >= 8)
    let score = Self.score(runs)
    print("Labelled evaluation, \(runs.count) real runs (../shared/corpus/runs)\n\(score.table)")
    for outcome in score.outcomes {
      #expect(outcome.verdict == outcome.expectedVerdict, "\(outcome.name): \(outcome.verdict)")
      if outcome.expectedVerdict == .healthy {
        #expect(outcome.criticalKinds.isEmpty, "\(outcome.name): critical \(outcome.criticalKinds)")
      }
      if let error = outcome.firstBadStepError { #expect(error <= outcome.loggingSteps, "\(outcome.name)") }
      #expect((outcome.expectedFirstBadStep == nil) == (outcome.firstBadStep == nil), "\(outcome.name)")
    }
  }

  /// Reads a `truth.json` into expected findings.
  static func labelled(name: String, truth: [String: Any], events: [LogEvent]) -> LabelledRun {
    let expectedKind = truth["expected"] as? String ?? ""
    let firstBad = truth["first_bad_step"] as? Int
    let verdict: Verdict =
      switch expectedKind {
      case "healthy": .healthy
      case "isolated_spikes": .unstable
      case "divergence", "divergence_to_nan": .diverged
      default: .noData
      }
    var expected: [LabelledRun.Expected] = []
    var ignored: Set<FindingKind> = [.epochBoundary]
    if let spikes = truth["spike_steps"] as? [Int] {
      // Consecutive spike steps are one episode.
      for (index, step) in spikes.enumerated() where index == 0 || spikes[index - 1] != step - 1 {
        expected.append(.init(.lossSpike, at: step))
      }
    }
    if expectedKind.hasPrefix("divergence"), let firstBad {
      expected.append(.init(.divergence, at: firstBad))
      ignored.formUnion([.lossSpike, .gradNormSpike])
    }
    if expectedKind == "divergence_to_nan", let metrics = truth["metrics"] as? [String: Any] {
      let nanSteps = metrics.compactMap { key, value -> Int? in
        guard (value as? String) == "nan", let range = key.range(of: "_step") else { return nil }
        return Int(key[range.upperBound...])
      }
      if let first = nanSteps.min() { expected.append(.init(.nan, at: first)) }
    }
    if let warmup = truth["warmup_steps"] as? Int, warmup > 0 {
      expected.append(.init(.warmupEnd, at: warmup))
    } else {
      ignored.insert(.warmupEnd)
    }
    return LabelledRun(
      name: name, events: events, expected: expected, verdict: verdict, firstBadStep: firstBad, ignored: ignored,
      loggingSteps: truth["logging_steps"] as? Int ?? 1)
  }
}
