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

@Suite("Run segments and stated logging_steps")
struct SeriesSegmentTests {
  let here = SourceLocation(line: 1, offset: 0)

  func dict() -> LogEvent {
    .trainingStep(TrainingStep(location: here, format: .huggingFaceDict, loss: 1))
  }

  func logged(_ step: Int) -> LogEvent {
    .trainingStep(TrainingStep(location: here, format: .trainerState, step: step, loss: 1))
  }

  func setting(_ name: String, _ value: SettingValue) -> LogEvent {
    .setting(SettingEvent(location: here, name: name, value: value, source: .hfTrainingArguments))
  }

  func boundary(_ kind: RunBoundary.Kind, from step: Int? = nil) -> LogEvent {
    .runBoundary(RunBoundary(location: here, kind: kind, fromStep: step))
  }

  @Test("logging_steps stated by the log numbers the rows; the caller's value wins")
  func statedLoggingSteps() {
    var stated = SeriesBuilder()
    let rows = [setting("logging_steps", .int(5)), dict(), dict()].compactMap { stated.add($0) }
    #expect(rows.map(\.step) == [5, 10])
    #expect(rows.allSatisfy { $0.stepBasis == .loggingSteps })
    var given = SeriesBuilder(loggingSteps: 3)
    #expect([setting("logging_steps", .double(5.0)), dict()].compactMap { given.add($0) }.map(\.step) == [3])
  }

  @Test("logging_steps below 1 is a fraction of max_steps, rounded up as HF does")
  func loggingFraction() {
    var builder = SeriesBuilder()
    let events = [setting("logging_steps", .double(0.1)), setting("max_steps", .int(95)), dict(), dict()]
    #expect(events.compactMap { builder.add($0) }.map(\.step) == [10, 20])
  }

  @Test("logging_first_step puts the first record at step 1, then on the logging_steps grid")
  func loggingFirstStep() {
    var builder = SeriesBuilder()
    let events = [setting("logging_first_step", .bool(true)), setting("logging_steps", .int(10)), dict(), dict(), dict()]
    #expect(events.compactMap { builder.add($0) }.map(\.step) == [1, 10, 20])
  }

  @Test("a start boundary after rows begins run 2, numbered afresh; copies of a start before any row do not")
  func restart() {
    var builder = SeriesBuilder(loggingSteps: 10)
    let events = [boundary(.start), boundary(.start), dict(), dict(), boundary(.start), boundary(.start), dict()]
    let rows = events.compactMap { builder.add($0) }
    #expect(rows.map(\.run) == [1, 1, 2])
    #expect(rows.map(\.step) == [10, 20, 10])
  }

  @Test("a resume right after a banner stays in the run it continues and numbers from the resumed step")
  func resume() {
    var builder = SeriesBuilder(loggingSteps: 10)
    let events = [dict(), dict(), boundary(.start), boundary(.resume, from: 20), dict(), dict()]
    let rows = events.compactMap { builder.add($0) }
    #expect(rows.map(\.run) == [1, 1, 1, 1])
    #expect(rows.map(\.step) == [10, 20, 30, 40])
  }

  @Test("a logged step that goes back starts a new run")
  func stepWentBack() {
    var builder = SeriesBuilder()
    let rows = [logged(10), logged(20), logged(5), logged(10)].compactMap { builder.add($0) }
    #expect(rows.map(\.run) == [1, 1, 2, 2])
  }

  @Test("eval rows: keyed by their logged step, else by the last training row's step")
  func evaluations() {
    var builder = SeriesBuilder(loggingSteps: 50)
    _ = builder.add(dict())
    let unstepped = LogEvent.evaluation(Evaluation(location: here, epoch: 0.5, loss: 1.25))
    let stepped = LogEvent.evaluation(Evaluation(location: here, step: 100, loss: 1.5))
    #expect(builder.evaluation(unstepped)?.step == 50)
    #expect(builder.evaluation(unstepped)?.stepBasis == .loggingSteps)
    #expect(builder.evaluation(unstepped)?.loss == 1.25)
    #expect(builder.evaluation(stepped)?.step == 100)
    #expect(builder.evaluation(stepped)?.stepBasis == .logged)
    #expect(builder.evaluation(dict()) == nil)
  }
}
