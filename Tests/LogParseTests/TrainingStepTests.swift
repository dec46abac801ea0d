import Testing

@testable import LogParse

/// The compact storage of ``TrainingStep`` behaves like plain optional properties.
@Suite("TrainingStep storage")
struct TrainingStepTests {
  @Test("every optional field reads back what was set, nil included, independently of the others")
  func fieldsRoundTrip() {
    var step = TrainingStep(location: SourceLocation(line: 3, offset: 40), format: .megatronIteration)
    #expect(step.step == nil && step.loss == nil && step.rank == nil && step.consumedSamples == nil)
    step.step = 0
    step.epoch = -0.0
    step.loss = .nan
    step.gradNorm = .infinity
    step.learningRate = 1e-4
    step.lossScale = 65536
    step.skipped = 2
    step.nanIterations = 0
    step.globalBatchSize = 1024
    step.rank = 7
    step.totalSteps = 500
    step.consumedSamples = Int.max
    #expect(step.step == 0)
    #expect(step.epoch?.sign == .minus)
    #expect(step.loss?.isNaN == true)
    #expect(step.gradNorm == .infinity)
    #expect(step.learningRate == 1e-4 && step.lossScale == 65536)
    #expect(step.skipped == 2 && step.nanIterations == 0 && step.globalBatchSize == 1024)
    #expect(step.rank == 7 && step.totalSteps == 500 && step.consumedSamples == Int.max)
    step.loss = nil
    step.rank = nil
    #expect(step.loss == nil && step.rank == nil)
    #expect(step.gradNorm == .infinity && step.globalBatchSize == 1024)
    #expect(step.location.line == 3 && step.format == .megatronIteration)
  }

  @Test("the lists are values: a copy keeps its own, and clearing all of them clears the box")
  func listsAreValues() {
    var first = TrainingStep(location: SourceLocation(line: 1, offset: 0), format: .deepSpeedStep)
    first.learningRates = [1e-4, 2e-4]
    first.momentum = [[0.9, 0.999]]
    var second = first
    second.learningRates = [3e-4]
    second.losses = [NamedValue(name: "lm loss", value: 2.5)]
    #expect(first.learningRates == [1e-4, 2e-4] && first.losses == nil)
    #expect(second.learningRates == [3e-4] && second.momentum == [[0.9, 0.999]])
    #expect(second.losses == [NamedValue(name: "lm loss", value: 2.5)])
    second.learningRates = nil
    second.momentum = nil
    second.losses = nil
    #expect(second.learningRates == nil && second.momentum == nil && second.losses == nil)
  }

  @Test("a step stays within 128 bytes, so that moving it is cheap")
  func compact() {
    #expect(MemoryLayout<TrainingStep>.size <= 128)
  }
}
