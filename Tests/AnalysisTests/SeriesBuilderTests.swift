import LogParse
import Testing

@testable import Analysis

@Suite("Numbering training rows")
struct SeriesBuilderTests {
  func step(_ line: Int, step: Int? = nil) -> LogEvent {
    .trainingStep(
      TrainingStep(location: SourceLocation(line: line, offset: 0), format: .huggingFaceDict, step: step, loss: 1))
  }

  @Test("without logging_steps, records are numbered by order")
  func byOrder() {
    var builder = SeriesBuilder()
    let rows = [step(3), step(9), step(12)].compactMap { builder.add($0) }
    #expect(rows.map(\.step) == [1, 2, 3])
    #expect(rows.allSatisfy { $0.stepBasis == .order })
  }

  @Test("with logging_steps, the k-th record is step k × logging_steps")
  func byLoggingSteps() {
    var builder = SeriesBuilder(loggingSteps: 10)
    let rows = [step(1), step(2), step(3)].compactMap { builder.add($0) }
    #expect(rows.map(\.step) == [10, 20, 30])
    #expect(rows.allSatisfy { $0.stepBasis == .loggingSteps })
  }

  @Test("a logged step number wins, and events that are not steps give no row")
  func loggedStepsAndOtherEvents() {
    var builder = SeriesBuilder(loggingSteps: 10)
    let evaluation = LogEvent.evaluation(Evaluation(location: SourceLocation(line: 2, offset: 0), loss: 1))
    let rows = [step(1, step: 7), evaluation].compactMap { builder.add($0) }
    #expect(rows.count == 1)
    #expect(rows[0].step == 7)
    #expect(rows[0].stepBasis == .logged)
  }

  @Test("a non-positive logging_steps is ignored")
  func badLoggingSteps() {
    var builder = SeriesBuilder(loggingSteps: 0)
    #expect(builder.add(step(1))?.stepBasis == .order)
  }
}
