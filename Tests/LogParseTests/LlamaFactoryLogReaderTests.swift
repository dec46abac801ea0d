import Foundation
import Testing

@testable import LogParse

/// LLaMA-Factory's `trainer_log.jsonl` (log-formats.md §5), lines built from LogCallback's keys.
@Suite("LLaMA-Factory trainer_log.jsonl")
struct LlamaFactoryLogReaderTests {
  static let log = """
    {"current_steps": 5, "total_steps": 100, "loss": 2.5, "eval_loss": null, "predict_loss": null, "reward": null, "accuracy": null, "lr": 1e-05, "epoch": 0.05, "percentage": 5.0, "elapsed_time": "0:00:10", "remaining_time": "0:03:10"}
    {"current_steps": 10, "total_steps": 100, "loss": 0.0, "eval_loss": null, "lr": 2e-05, "epoch": 0.1, "grad_norm": NaN, "percentage": 10.0, "elapsed_time": "0:00:20", "remaining_time": "0:03:00"}
    {"current_steps": 10, "total_steps": 100, "loss": null, "eval_loss": 2.25, "lr": null, "epoch": 0.1, "percentage": 10.0, "elapsed_time": "0:00:25", "remaining_time": "0:03:00"}

    {"current_steps": 15, "total_steps": 100, "loss": 2.1, "eval_loss": null, "lr": 1.9e-05, "epoch": 0.15, "percentage": 15.0, "elapsed_time": "0:00:30", "remaining_time": "0:02:50", "throughput": 1234.5}
    {"current_steps": 20, "total_steps": 100, "loss": 2.0, "ev
    """

  @Test("steps, lr, epoch and nulls; eval lines as evaluations; total_steps as max_steps; a cut last line is a note")
  func readsLog() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = try folder.write(Self.log, to: "trainer_log.jsonl")
    #expect(InputKind.detect(path) == .llamaFactoryJSONL)
    let events = try loadEvents(path)
    let steps = trainingSteps(events)
    #expect(steps.map(\.step) == [5, 10, 15])
    #expect(steps.map(\.learningRate) == [1e-05, 2e-05, 1.9e-05])
    #expect(steps.map(\.format) == [.llamaFactoryJSONL, .llamaFactoryJSONL, .llamaFactoryJSONL])
    #expect(steps[1].loss == 0.0 && steps[1].gradNorm?.isNaN == true)
    #expect(steps[0].gradNorm == nil)
    #expect(steps.map(\.location.line) == [1, 2, 5])
    let evals = evaluations(events)
    #expect(evals.count == 1 && evals[0].step == 10 && evals[0].loss == 2.25)
    #expect(settingValues(events) == ["max_steps": .int(100)])
    let note = try #require(notes(events).first)
    #expect(note.location.line == 6)
    #expect(note.kind == .incompleteRecord)
    #expect(boundaries(events).isEmpty)
  }

  @Test("current_steps going back is a new run appended to the file")
  func restart() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let lines = [10, 20, 10].map {
      "{\"current_steps\": \($0), \"total_steps\": 20, \"loss\": 1.0, \"lr\": 1e-05, \"epoch\": 0.5}"
    }
    let events = try loadEvents(try folder.write(lines.joined(separator: "\n") + "\n", to: "trainer_log.jsonl"))
    let found = boundaries(events)
    #expect(found.count == 1 && found.first?.reason == .stepWentBack && found.first?.location.line == 3)
  }
}
