import Testing

@testable import Analysis

@Suite("Batch identity and learning-rate scaling")
struct BatchArithmeticTests {
  @Test("each of the five quantities is solved from the other four")
  func solvesEveryUnknown() throws {
    let full = BatchIdentity(perDevice: 1, gradientAccumulation: 8, gpusPerNode: 8, nodes: 4)
    #expect(full.total == 256)
    #expect(full.arithmetic == "256 = 1 × 8 × 8 × 4")
    let cases: [(Int?, Int?, Int?, Int?, Int?, BatchIdentity.Unknown)] = [
      (nil, 8, 8, 4, 256, .perDevice), (1, nil, 8, 4, 256, .gradientAccumulation), (1, 8, nil, 4, 256, .gpusPerNode),
      (1, 8, 8, nil, 256, .nodes), (1, 8, 8, 4, nil, .total),
    ]
    for (perDevice, accumulation, gpus, nodes, total, expected) in cases {
      let (identity, unknown) = try BatchIdentity.solve(
        perDevice: perDevice, gradientAccumulation: accumulation, gpusPerNode: gpus, nodes: nodes, total: total)
      #expect(identity == full)
      #expect(unknown == expected)
    }
  }

  @Test("a total that the others do not divide is refused with the numbers")
  func notDivisible() {
    #expect(throws: BatchIdentity.SolveError.notDivisible(total: 100, product: 64, unknown: .gradientAccumulation)) {
      try BatchIdentity.solve(perDevice: 1, gradientAccumulation: nil, gpusPerNode: 8, nodes: 8, total: 100)
    }
  }

  @Test("anything but exactly one unknown, or a non-positive value, is refused")
  func wrongShapes() {
    #expect(throws: BatchIdentity.SolveError.notExactlyOneUnknown(2)) {
      try BatchIdentity.solve(perDevice: nil, gradientAccumulation: nil, gpusPerNode: 8, nodes: 1, total: 64)
    }
    #expect(throws: BatchIdentity.SolveError.notExactlyOneUnknown(0)) {
      try BatchIdentity.solve(perDevice: 1, gradientAccumulation: 1, gpusPerNode: 8, nodes: 1, total: 8)
    }
    #expect(throws: BatchIdentity.SolveError.notPositive(.nodes)) {
      try BatchIdentity.solve(perDevice: 1, gradientAccumulation: nil, gpusPerNode: 8, nodes: 0, total: 64)
    }
  }

  @Test("combinations reaching a target total under a per-device memory cap, fewest accumulation steps first")
  func combinations() {
    let found = BatchIdentity.combinations(total: 256, gpusPerNode: 8, nodes: 2, maxPerDevice: 4)
    #expect(found.map(\.perDevice) == [4, 2, 1])
    #expect(found.map(\.gradientAccumulation) == [4, 8, 16])
    #expect(found.allSatisfy { $0.total == 256 })
    #expect(BatchIdentity.combinations(total: 100, gpusPerNode: 8, nodes: 1, maxPerDevice: 4).isEmpty)
  }

  @Test("square-root and linear rules, with their arithmetic")
  func scalingRules() {
    let sqrt = LearningRateScaling.squareRoot
    #expect(abs(sqrt.scale(2e-4, from: 512, to: 256) - 1.4142135623730951e-4) < 1e-18)
    #expect(sqrt.arithmetic(2e-4, from: 512, to: 256) == "2e-4 × √(256 / 512) = 1.41e-4")
    #expect(LearningRateScaling.linear.scale(2e-4, from: 256, to: 512) == 4e-4)
    #expect(LearningRateScaling.linear.arithmetic(2e-4, from: 256, to: 512) == "2e-4 × 512 / 256 = 4e-4")
    #expect(sqrt.arithmetic(2e-4, from: 256, to: 512) == "2e-4 × √(512 / 256) = 2.83e-4")
  }

  @Test("the rule follows the optimizer family")
  func ruleForOptimizer() {
    #expect(LearningRateScaling.recommended(forOptimizer: "AdamW") == .squareRoot)
    #expect(LearningRateScaling.recommended(forOptimizer: "SGD") == .linear)
    #expect(LearningRateScaling.recommended(forOptimizer: nil) == .squareRoot)
  }

  @Test("short numbers for suggestions", arguments: [
    (1.4142135623730951e-4, "1.41e-4"), (2e-4, "2e-4"), (0.05, "0.05"), (256, "256"), (0.03, "0.03"),
    (1.0, "1"), (3.3333, "3.33"), (1e-10, "1e-10"),
  ])
  func shortNumbers(_ value: Double, _ text: String) {
    #expect(ShortNumber.format(value) == text)
  }
}
