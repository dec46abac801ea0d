import Foundation
import Testing

@testable import LogParse

/// The real logs in `../shared/corpus/public` that hold HF dicts; counts were made by hand.
@Suite("HF dicts in the shared corpus", .enabled(if: SharedCorpus.isAvailable, "../shared/corpus is not present"))
struct CorpusDictTests {
  struct Expectation: CustomTestStringConvertible, Sendable {
    let prefix: String
    let steps: Int
    let evaluations: Int
    let summaries: Int
    /// (line, loss, learning rate) of the first and last training dict.
    let first: (Int, Double, Double)?
    let last: (Int, Double, Double)?
    var testDescription: String { prefix }
  }

  static let expectations: [Expectation] = [
    Expectation(prefix: "05-", steps: 0, evaluations: 0, summaries: 1, first: nil, last: nil),
    Expectation(
      prefix: "07-", steps: 10, evaluations: 10, summaries: 1, first: (324, 1.1409, 1.817850637522769e-05),
      last: (428, 0.2645, 1.7850637522768672e-06)),
    Expectation(
      prefix: "12-", steps: 2, evaluations: 0, summaries: 0, first: (13, 1.6747, 0.0001956204379562044),
      last: (32, 2.0491, 0.0001961913563176343)),
    Expectation(
      prefix: "14-", steps: 13, evaluations: 0, summaries: 0, first: (1, 0.0, 0.00012142857142857143),
      last: (13, 0.0, 0.00020714285714285716)),
    Expectation(
      prefix: "20-", steps: 6, evaluations: 0, summaries: 0, first: (1, 1.7319, 2.7037732088676582e-05),
      last: (6, 1.7414, 1.8611664616633675e-05)),
    Expectation(
      prefix: "21-", steps: 13, evaluations: 0, summaries: 0, first: (1, 1.5214, 1.4285714285714286e-06),
      last: (13, 0.271, 1.8571428571428575e-05)),
    Expectation(
      prefix: "22-", steps: 5, evaluations: 0, summaries: 0, first: (1, 1.5545, 0.00028994575745834946),
      last: (5, 1.0574, 0.00028991254773897155)),
    Expectation(
      prefix: "22b-", steps: 5, evaluations: 0, summaries: 0, first: (1, 1.5545, 0.00028994575745834946),
      last: (5, 1.0574, 0.00028991254773897155)),
    Expectation(
      prefix: "26-", steps: 3, evaluations: 0, summaries: 0, first: (1, 0.2051, 9.774074342405685e-06),
      last: (3, 0.0, 9.773318840518906e-06)),
    Expectation(
      prefix: "27-", steps: 8, evaluations: 1, summaries: 0, first: (1, 0.5505, 0.0008384379848413304),
      last: (9, 0.4575, 0.00075)),
    Expectation(
      prefix: "28-", steps: 13, evaluations: 0, summaries: 0, first: (1, 0.0923, 9.659320146057262e-05),
      last: (13, 0.0756, 8.778747871771292e-05)),
    Expectation(
      prefix: "29-", steps: 7, evaluations: 0, summaries: 0, first: (1, 1.0194, 1.2055455093429777e-07),
      last: (7, 0.8098, 7.233273056057867e-06)),
  ]

  @Test("each file yields exactly its training dicts, evals and summaries", arguments: expectations)
  func corpusFile(_ expected: Expectation) throws {
    let url = try #require(SharedCorpus.publicFile(expected.prefix))
    var events: [LogEvent] = []
    _ = try LogScanner.scanFile(url.path) { events.append($0) }
    // DeepSpeed's `step=` lines are training steps too (05 has one); this suite counts HF dicts.
    let steps = trainingSteps(events).filter { $0.format == .huggingFaceDict }
    #expect(steps.count == expected.steps)
    #expect(evaluations(events).count == expected.evaluations)
    let summaries = events.filter { if case .trainingSummary = $0 { true } else { false } }
    #expect(summaries.count == expected.summaries)
    if let (line, loss, rate) = expected.first {
      #expect(steps.first?.location.line == line)
      #expect(steps.first?.loss == loss)
      #expect(steps.first?.learningRate == rate)
    }
    if let (line, loss, rate) = expected.last {
      #expect(steps.last?.location.line == line)
      #expect(steps.last?.loss == loss)
      #expect(steps.last?.learningRate == rate)
    }
  }

  @Test("14: every dict is loss 0.0 with grad_norm nan, kept as read for Analysis")
  func nanInDisguise() throws {
    let url = try #require(SharedCorpus.publicFile("14-"))
    var events: [LogEvent] = []
    _ = try LogScanner.scanFile(url.path) { events.append($0) }
    let steps = trainingSteps(events)
    #expect(steps.allSatisfy { $0.loss == 0.0 && $0.gradNorm?.isNaN == true })
  }
}
