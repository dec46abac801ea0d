import LogParse
import Testing

@testable import Analysis

/// ``SeriesBuilder/number(_:)`` numbers a record exactly as ``SeriesBuilder/add(_:)`` does, and a
/// ``SeriesRow`` is the record's values with that numbering.
@Suite("Row numbering read in place")
struct RowNumberingTests {
  /// A reproducible stream of every event kind that moves the numbering.
  static func events(count: Int, seed: UInt64) -> [LogEvent] {
    var state = seed
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    var events: [LogEvent] = []
    var logged = 0
    for line in 1...count {
      let here = SourceLocation(line: line, offset: Int64(line) * 100)
      let pick = next() % 100
      switch pick {
      case 0..<55:
        events.append(
          .trainingStep(
            TrainingStep(
              location: here, format: .huggingFaceDict, epoch: Double(next() % 300) / 100, loss: Double(next()) / 1e9,
              gradNorm: next() % 7 == 0 ? nil : Double(next()) / 3e8, learningRate: Double(next()) * 1e-12,
              rank: next() % 5 == 0 ? Int(next() % 8) : nil)))
      case 55..<70:
        // Logged steps that mostly climb and sometimes go back (a new run appended).
        logged = next() % 10 == 0 ? Int(next() % 50) : logged + Int(next() % 20) + 1
        events.append(
          .trainingStep(
            TrainingStep(
              location: here, format: .megatronIteration, step: logged, loss: Double(next()) / 1e9,
              lossScale: Double(1 << (next() % 16)), skipped: next() % 3 == 0 ? Int(next() % 4) : nil,
              globalBatchSize: Int(next() % 4096))))
      case 70..<76:
        events.append(
          .trainingStep(
            TrainingStep(location: here, format: .deepSpeedStep, step: Int(next() % 1000), skipped: Int(next() % 9))))
      case 76..<84:
        events.append(.overflow(OverflowEvent(location: here, kind: .skipped)))
      case 84..<89:
        events.append(.runBoundary(RunBoundary(location: here, kind: .start)))
      case 89..<93:
        let from = next() % 2 == 0 ? Int(next() % 500) : nil
        events.append(.runBoundary(RunBoundary(location: here, kind: .resume, fromStep: from)))
      case 93..<96:
        events.append(
          .setting(
            SettingEvent(
              location: here, name: "logging_steps", value: .int(Int(next() % 50) + 1), source: .hfTrainingArguments)))
      case 96..<98:
        events.append(
          .setting(
            SettingEvent(location: here, name: "logging_first_step", value: .bool(next() % 2 == 0), source: .hfTrainingArguments)))
      default:
        events.append(.evaluation(Evaluation(location: here, loss: 1)))
      }
    }
    return events
  }

  @Test("numbering in place gives the rows add gives, value for value", arguments: [1, 2, 3, 4, 5] as [UInt64])
  func sameAsAdd(seed: UInt64) {
    let events = Self.events(count: 20_000, seed: seed)
    var copying = SeriesBuilder(loggingSteps: seed == 5 ? 25 : nil)
    var inPlace = SeriesBuilder(loggingSteps: seed == 5 ? 25 : nil)
    var rows: [SeriesRow] = []
    var numbered: [(TrainingStep, RowNumbering)] = []
    for event in events {
      if let row = copying.add(event) { rows.append(row) }
      if case .trainingStep(let record) = event {
        if let numbering = inPlace.number(record) { numbered.append((record, numbering)) }
      } else {
        #expect(inPlace.add(event) == nil)
      }
    }
    #expect(rows.count == numbered.count)
    #expect(rows.count > 5_000)
    #expect(Set(rows.map(\.run)).count > 10, "the stream should cross many runs")
    var mismatches = 0
    for (row, (record, numbering)) in zip(rows, numbered) {
      let same =
        row.step == numbering.step && row.stepBasis == numbering.stepBasis && row.run == numbering.run
        && row.skipped == numbering.skipped && row.overflowCount == numbering.overflowCount
        && row.location == record.location && row.epoch?.bitPattern == record.epoch?.bitPattern
        && row.loss?.bitPattern == record.loss?.bitPattern && row.gradNorm?.bitPattern == record.gradNorm?.bitPattern
        && row.learningRate?.bitPattern == record.learningRate?.bitPattern
        && row.lossScale?.bitPattern == record.lossScale?.bitPattern && row.globalBatchSize == record.globalBatchSize
        && row.rank == record.rank
      if !same { mismatches += 1 }
    }
    #expect(mismatches == 0)
  }
}
