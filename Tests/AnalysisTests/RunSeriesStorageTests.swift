import Analysis
import LogParse
import Testing

/// The series' packed storage: what goes in comes out, and it stays within the report's memory
/// budget of 32 bytes per logged step (issue 9).
@Suite("Run series storage")
struct RunSeriesStorageTests {
  /// Records as an HF run under DeepSpeed prints them: unnumbered dicts every ~6 lines with
  /// 17-digit grad-norms and learning rates, an epoch rounded to 2 decimals, a DeepSpeed step
  /// line every 10 records, an overflow now and then; or Megatron's numbered iteration lines.
  static func events(records: Int, megatron: Bool = false) -> [LogEvent] {
    var events: [LogEvent] = []
    var line = 1
    var generator = SystemRandomNumberGenerator()
    for index in 0..<records {
      line += 4 + Int.random(in: 0...4, using: &generator)
      let location = SourceLocation(line: line, offset: Int64(line) * 80)
      let lr = 2e-5 * (1 - Double(index) / Double(records + 1)) + 1e-17 * Double(index % 7)
      if megatron {
        events.append(
          .trainingStep(
            TrainingStep(
              location: location, format: .megatronIteration, step: (index + 1) * 10,
              loss: 2 + Double.random(in: 0...1, using: &generator),
              gradNorm: Double.random(in: 0.1...3, using: &generator),
              learningRate: lr, lossScale: index < records / 2 ? 65536 : 32768, skipped: index % 500 == 7 ? 1 : 0)))
      } else {
        events.append(
          .trainingStep(
            TrainingStep(
              location: location, format: .huggingFaceDict,
              epoch: Double(index / 50) / 100,
              loss: Double.random(in: 1...3, using: &generator),
              gradNorm: Double.random(in: 0.1...3, using: &generator),
              learningRate: lr)))
        if index % 10 == 9 {
          events.append(
            .trainingStep(
              TrainingStep(
                location: SourceLocation(line: line + 1, offset: 0), format: .deepSpeedStep, step: index + 1,
                learningRate: lr, skipped: index / 2000)))
          line += 1
        }
        if index % 2000 == 1999 {
          events.append(
            .overflow(
              OverflowEvent(location: SourceLocation(line: line + 1, offset: 0), kind: .skipped, rank: nil)))
          line += 1
        }
      }
    }
    return events
  }

  static func series(_ events: [LogEvent]) -> RunSeries {
    var analyzer = RunAnalyzer(source: "test.log")
    for event in events { analyzer.add(event) }
    return analyzer.finish()[0].series
  }

  @Test(
    "a typical run's series holds at most 32 bytes per logged step",
    arguments: [("HF under DeepSpeed", false), ("Megatron", true)])
  func bytesPerStep(name: String, megatron: Bool) {
    let series = Self.series(Self.events(records: 50_000, megatron: megatron))
    #expect(series.count == 50_000)
    let perStep = Double(series.allocatedBytes) / Double(series.count)
    #expect(perStep <= 32, "\(name): \(perStep) bytes per step")
    // The old layout (eight 8-byte columns) needed 64; a series that stopped shrinking would show.
    #expect(perStep >= 20, "\(name): \(perStep) bytes per step is less than the values themselves")
  }

  @Test("every value reads back as it was appended, the epoch to its printed digits")
  func roundTrip() {
    let events = Self.events(records: 5_000)
    let series = Self.series(events)
    let records = events.compactMap { event -> TrainingStep? in
      guard case .trainingStep(let record) = event, record.format != .deepSpeedStep else { return nil }
      return record
    }
    #expect(series.count == records.count)
    for (index, record) in records.enumerated() {
      #expect(series.step(at: index) == index + 1)
      #expect(series.line(at: index) == record.location.line)
      #expect(series.loss(at: index)?.bitPattern == record.loss?.bitPattern)
      #expect(series.gradNorm(at: index)?.bitPattern == record.gradNorm?.bitPattern)
      #expect(series.learningRate(at: index)?.bitPattern == record.learningRate?.bitPattern)
      #expect(series.epoch(at: index)?.description == record.epoch?.description)
    }
    #expect(Array(series.lines) == records.map(\.location.line))
  }

  @Test("irregular steps, far-apart lines, missing and non-finite values survive the packing")
  func irregular() {
    var series = RunSeries()
    let steps = [5, 6, 9, 70_000, 70_001, 5_000_000_000, 5_000_000_003]
    let lines = [1, 2, 100_000, 100_001, 9_000_000_000, 9_000_000_001, 9_000_000_002]
    let losses: [Double?] = [1, nil, .nan, .infinity, 2, nil, 0]
    for index in steps.indices {
      series.append(
        step: steps[index],
        record: TrainingStep(
          location: SourceLocation(line: lines[index], offset: 0), format: .megatronIteration, step: steps[index],
          loss: losses[index], lossScale: index == 3 ? 1024 : nil, skipped: index == 4 ? 2 : nil))
    }
    #expect(Array(series.steps) == steps)
    #expect(Array(series.lines) == lines)
    #expect(series.loss(at: 1) == nil && series.loss(at: 2)?.isNaN == true && series.loss(at: 3) == .infinity)
    #expect(series.gradNorm(at: 0) == nil && series.epoch(at: 0) == nil)
    #expect(series.lossScales.map(RunSeries.value) == [nil, nil, nil, 1024, nil, nil, nil])
    #expect(Array(series.skipped) == [nil, nil, nil, nil, 2, nil, nil])
    #expect(series.firstIndex(atOrAfter: 71) == 3)
    #expect(series.firstIndex(atOrAfter: 5_000_000_001) == 6)
  }

  @Test("the rolling MAD equals the MAD of the window sorted from scratch")
  func rollingMAD() {
    var generator = SystemRandomNumberGenerator()
    for capacity in [1, 2, 5, 21, 100] {
      var window = RollingWindow(capacity: capacity)
      var recent: [Double] = []
      for _ in 0..<600 {
        // Few distinct values, so that ties and a zero MAD are exercised too.
        let value = Double(Int.random(in: -6...6, using: &generator)) / 4 + (Bool.random() ? 0 : 1e-3)
        window.add(value)
        recent.append(value)
        if recent.count > capacity { recent.removeFirst() }
        let sorted = recent.sorted()
        let n = sorted.count
        let median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        let deviations = sorted.map { abs($0 - median) }.sorted()
        let mad = n % 2 == 1 ? deviations[n / 2] : (deviations[n / 2 - 1] + deviations[n / 2]) / 2
        #expect(window.median == median)
        #expect(window.mad == mad)
        #expect(window.minimum == sorted.first && window.maximum == sorted.last)
      }
    }
  }
}
