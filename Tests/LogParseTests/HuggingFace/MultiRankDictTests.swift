import Foundation
import Testing

@testable import LogParse

/// The same HF dict printed by several ranks or nodes (log-formats.md §1.1 "Who prints", §5).
@Suite("HF dicts printed by several ranks or nodes")
struct MultiRankDictTests {
  @Test("pdsh hosts with different values: one step per pair, the first kept, the copies counted")
  func pdshHosts() throws {
    let log = """
      machine1: {'loss': 6.591, 'learning_rate': 0.0006, 'epoch': 0.01}
      machine2: {'loss': 6.5859, 'learning_rate': 0.0006, 'epoch': 0.01}
      machine1: {'loss': 6.2, 'learning_rate': 0.0006, 'epoch': 0.02}
      machine2: {'loss': 6.21, 'learning_rate': 0.0006, 'epoch': 0.02}
      machine2: {'loss': 6.0, 'learning_rate': 0.0006, 'epoch': 0.03}
      machine1: {'loss': 5.9, 'learning_rate': 0.0006, 'epoch': 0.03}

      """
    let events = try scanEvents(log)
    let steps = trainingSteps(events)
    #expect(steps.map(\.loss) == [6.591, 6.2, 6.0])
    #expect(steps.map(\.location.line) == [1, 3, 5])
    let note = try #require(notes(events).first)
    #expect(note.kind == .duplicates && note.location.line == 2)
    #expect(note.message.hasPrefix("3 log dicts"))
  }

  @Test(
    "srun labels, torchrun [defaultN]: and [rankN]: prefixes: one step each",
    arguments: ["0: ", "[default0]:", "[rank0]: "])
  func rankPrefixes(_ first: String) throws {
    let second = first.replacingOccurrences(of: "0", with: "1")
    let dict = "{'loss': 1.5, 'grad_norm': 0.5, 'learning_rate': 2e-05, 'epoch': 0.1}"
    let later = "{'loss': 1.4, 'grad_norm': 0.4, 'learning_rate': 2e-05, 'epoch': 0.2}"
    let log = [first + dict, second + dict, first + later, second + later].joined(separator: "\n") + "\n"
    let steps = trainingSteps(try scanEvents(log))
    #expect(steps.map(\.loss) == [1.5, 1.4])
    #expect(steps.map(\.rank) == [0, 0])
  }

  @Test("unprefixed copies are dropped only when identical; different dicts with the same rounded epoch are kept")
  func unprefixed() throws {
    let log = """
      {'loss': 1.0194, 'learning_rate': 1.2e-07, 'epoch': 0.0}
      {'loss': 1.0194, 'learning_rate': 1.2e-07, 'epoch': 0.0}
      {'loss': 0.9977, 'learning_rate': 1.2e-06, 'epoch': 0.0}
      {'eval_loss': 0.9, 'epoch': 0.0}
      {'eval_loss': 0.9, 'epoch': 0.0}
      {'loss': 0.99, 'learning_rate': 1.3e-06, 'epoch': 0.0}

      """
    let events = try scanEvents(log)
    #expect(trainingSteps(events).map(\.loss) == [1.0194, 0.9977, 0.99])
    #expect(evaluations(events).count == 1)
  }

  @Test("the epoch falling back without a banner is a restart appended to the same file")
  func epochWentBack() throws {
    let log = """
      {'loss': 2.0, 'learning_rate': 1e-05, 'epoch': 0.8}
      {'loss': 1.9, 'learning_rate': 1e-05, 'epoch': 0.9}
      {'loss': 2.5, 'learning_rate': 1e-06, 'epoch': 0.05}
      {'loss': 2.4, 'learning_rate': 2e-06, 'epoch': 0.1}

      """
    let events = try scanEvents(log)
    #expect(trainingSteps(events).count == 4)
    let found = boundaries(events)
    #expect(found.count == 1 && found.first?.reason == .epochWentBack && found.first?.location.line == 3)
  }

  @Test("5.x string values: loss 0.0 and grad_norm 'nan' kept as the raw pair")
  func nanPair() throws {
    let log = "{'loss': '0', 'grad_norm': 'nan', 'learning_rate': '5e-05', 'epoch': '0.1'}\n"
    let step = try #require(trainingSteps(try scanEvents(log)).first)
    #expect(step.loss == 0.0 && step.gradNorm?.isNaN == true && step.learningRate == 5e-05)
  }
}
