import Testing

@testable import Analysis

@Suite("Suggestions with their rule and arithmetic")
struct SuggestionsTests {
  @Test("the square-root learning rate for a doubled total batch, with the batch arithmetic")
  func learningRate() {
    let identity = BatchIdentity(perDevice: 1, gradientAccumulation: 8, gpusPerNode: 8, nodes: 4)
    let suggestion = Suggestions.learningRate(
      current: 2e-4, total: 256, referenceLearningRate: 2e-4, referenceTotal: 512, optimizer: "adamw", identity: identity)
    #expect(
      suggestion.line
        == "learning_rate 2e-4 → 1.41e-4  (Adam square-root rule: 2e-4 × √(256 / 512) = 1.41e-4; total batch 256 = 1 × 8 × 8 × 4)")
    #expect(suggestion.reason.contains("SGD linear rule would give 1e-4"))
  }

  @Test("the GAS that restores the old total at the same per-device batch")
  func accumulation() throws {
    let identity = BatchIdentity(perDevice: 1, gradientAccumulation: 8, gpusPerNode: 8, nodes: 2)
    let suggestion = try #require(Suggestions.accumulationForTotal(identity, targetTotal: 256, deepSpeedConfig: true))
    #expect(suggestion.line == "gradient_accumulation_steps 8 → 16  (batch identity: keeps per-device 1, total 128 → 256 (1 × 16 × 8 × 2))")
    #expect(suggestion.deepSpeedKeys.first == "\"gradient_accumulation_steps\": 16 (or \"auto\")")
  }

  @Test("no GAS suggestion when the total cannot be reached or is already there")
  func noAccumulation() {
    let identity = BatchIdentity(perDevice: 3, gradientAccumulation: 2, gpusPerNode: 8, nodes: 1)
    #expect(Suggestions.accumulationForTotal(identity, targetTotal: 100, deepSpeedConfig: false) == nil)
    #expect(Suggestions.accumulationForTotal(identity, targetTotal: 48, deepSpeedConfig: false) == nil)
  }

  @Test("warm-up, clipping and precision suggestions")
  func others() {
    #expect(Suggestions.longerWarmup(currentRatio: 0.01, currentSteps: nil, totalSteps: 1000).line
      == "warmup_ratio 0.01 → 0.05  (longer warm-up: warmup_ratio 0.05 × 1000 steps = 50 warm-up steps)")
    #expect(Suggestions.enableClipping(current: 0, deepSpeedConfig: true).line == "max_grad_norm 0 → 1.0  (gradient clipping: clip the global grad norm at 1.0)")
    #expect(Suggestions.useBF16(deepSpeedConfig: false).suggested == "bf16")
  }
}
