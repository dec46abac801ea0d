import LogParse
import Testing

@testable import Analysis

/// Each attribution rule on runs that must and must not produce its cause.
@Suite("Attributing findings to settings")
struct AttributionRulesTests {
  static func run(
    losses: [Double], learningRates: [Double]? = nil, gradNorms: [Double]? = nil, findings: [Finding]
  ) -> RunDiagnosis {
    var series = RunSeries()
    for (index, loss) in losses.enumerated() {
      let record = TrainingStep(
        location: SourceLocation(line: index + 1, offset: 0), format: .huggingFaceDict, loss: loss,
        gradNorm: gradNorms?[index] ?? 1, learningRate: learningRates?[index] ?? 1e-4)
      series.append(step: (index + 1) * 10, record: record)
    }
    return RunDiagnosis(
      source: "run.log", run: 0, formats: ["hf-dict"], firstStep: 10, lastStep: losses.count * 10,
      logged: losses.count, verdict: .unstable, firstBadStep: findings.first?.step, findings: findings, series: series)
  }

  static func settings(_ statements: [(String, SettingValue)], source: SettingSource = .launchCommand) -> RunSettings {
    var table = SettingsTable()
    for (name, value) in statements {
      table.add(
        SettingEvent(location: SourceLocation(line: 1, offset: 0), name: name, value: value, source: source), from: "run.sh")
    }
    return RunSettings(table)
  }

  static func spike(_ step: Int, _ kind: FindingKind = .lossSpike, recovery: Recovery? = .fast) -> Finding {
    var finding = Finding(kind: kind, severity: .critical, metric: "loss", step: step, message: "\(kind.rawValue) at \(step)")
    finding.recovery = recovery
    return finding
  }

  static let flat = [Double](repeating: 2, count: 100)

  @Test("warm-up: spikes inside a 10-step warm-up of 1000 steps; not with a 50-step warm-up, not for late spikes")
  func warmup() {
    let early = AttributionContext(
      diagnosis: Self.run(losses: Self.flat, findings: [Self.spike(20)]),
      settings: Self.settings([("warmup_steps", .int(10)), ("max_steps", .int(1000))]))
    #expect(WarmupRule.evaluate(early)?.suggestions.first?.suggested == "0.05")
    let long = AttributionContext(
      diagnosis: Self.run(losses: Self.flat, findings: [Self.spike(20)]),
      settings: Self.settings([("warmup_steps", .int(50)), ("max_steps", .int(1000))]))
    #expect(WarmupRule.evaluate(long) == nil)
    let late = AttributionContext(
      diagnosis: Self.run(losses: Self.flat, findings: [Self.spike(800)]),
      settings: Self.settings([("warmup_steps", .int(10)), ("max_steps", .int(1000))]))
    #expect(WarmupRule.evaluate(late) == nil)
  }

  @Test("warm-up: a learning rate that starts at its peak counts as no warm-up")
  func warmupFromSeries() {
    let context = AttributionContext(
      diagnosis: Self.run(losses: Self.flat, learningRates: [Double](repeating: 1e-3, count: 100), findings: [Self.spike(30)]),
      settings: Self.settings([]))
    #expect(WarmupRule.evaluate(context) != nil)
    let ramp = (1...100).map { min(1e-3, 1e-5 * Double($0)) }
    let ramped = AttributionContext(
      diagnosis: Self.run(losses: Self.flat, learningRates: ramp, findings: [Self.spike(30)]), settings: Self.settings([]))
    #expect(WarmupRule.evaluate(ramped) == nil)
  }

  @Test("learning rate: above the √-scaled reference with spikes; not without findings; not when it matches the rule")
  func learningRate() throws {
    let settings = Self.settings([("learning_rate", .double(4e-4)), ("total_batch_size", .int(128))], source: .hfBanner)
    let reference = Reference(totalBatch: 128, learningRate: 1e-4, origin: "reference")
    let cause = try #require(
      LearningRateRule.evaluate(
        AttributionContext(diagnosis: Self.run(losses: Self.flat, findings: [Self.spike(100)]), settings: settings, reference: reference)))
    #expect(cause.kind == .learningRateTooHighForBatch)
    #expect(cause.suggestions.first?.suggested == "1e-4")
    #expect(
      LearningRateRule.evaluate(
        AttributionContext(diagnosis: Self.run(losses: Self.flat, findings: []), settings: settings, reference: reference)) == nil)
    let scaled = Self.settings([("learning_rate", .double(1.41e-4)), ("total_batch_size", .int(256))], source: .hfBanner)
    #expect(
      LearningRateRule.evaluate(
        AttributionContext(diagnosis: Self.run(losses: Self.flat, findings: [Self.spike(100)]), settings: scaled, reference: Reference(totalBatch: 128, learningRate: 1e-4, origin: "r")))
        == nil)
  }

  @Test("clipping: grad-norm spikes with max_grad_norm 0; not with clipping at 1.0; not when clipping is unknown")
  func clipping() {
    let findings = [Self.spike(50, .gradNormSpike)]
    #expect(
      ClippingRule.evaluate(
        AttributionContext(diagnosis: Self.run(losses: Self.flat, findings: findings), settings: Self.settings([("max_grad_norm", .double(0))])))?
        .suggestions.first?.suggested == "1.0")
    #expect(
      ClippingRule.evaluate(
        AttributionContext(diagnosis: Self.run(losses: Self.flat, findings: findings), settings: Self.settings([("max_grad_norm", .double(1))])))
        == nil)
    #expect(ClippingRule.evaluate(AttributionContext(diagnosis: Self.run(losses: Self.flat, findings: findings), settings: Self.settings([]))) == nil)
  }

  @Test("precision: a loss-scale collapse under fp16 → bf16; nothing under bf16")
  func precision() {
    let collapse = [Finding(kind: .lossScaleCollapse, severity: .critical, metric: "loss_scale", step: 300, message: "scale fell to 2")]
    let fp16 = PrecisionRule.evaluate(
      AttributionContext(diagnosis: Self.run(losses: Self.flat, findings: collapse), settings: Self.settings([("fp16", .bool(true))])))
    #expect(fp16?.confidence == .high)
    #expect(fp16?.suggestions.first?.suggested == "bf16")
    #expect(
      PrecisionRule.evaluate(
        AttributionContext(diagnosis: Self.run(losses: Self.flat, findings: collapse), settings: Self.settings([("bf16", .bool(true))])))
        == nil)
  }

  @Test("small batch: recovered spikes at total 8 → GAS to reach 64; not at total 256")
  func smallBatch() {
    let spikes = [Self.spike(200), Self.spike(500)]
    let small = Self.settings([
      ("per_device_train_batch_size", .int(1)), ("gradient_accumulation_steps", .int(8)), ("nproc_per_node", .int(1)),
      ("nnodes", .int(1)),
    ])
    #expect(
      SmallBatchRule.evaluate(AttributionContext(diagnosis: Self.run(losses: Self.flat, findings: spikes), settings: small))?
        .suggestions.first?.line == "gradient_accumulation_steps 8 → 64  (batch identity: keeps per-device 1, total 8 → 64 (1 × 64 × 1 × 1))")
    let large = Self.settings([
      ("per_device_train_batch_size", .int(4)), ("gradient_accumulation_steps", .int(8)), ("nproc_per_node", .int(8)),
      ("nnodes", .int(1)),
    ])
    #expect(SmallBatchRule.evaluate(AttributionContext(diagnosis: Self.run(losses: Self.flat, findings: spikes), settings: large)) == nil)
  }

  @Test("GA normalisation: a loss about GAS× the reference's at another GAS; not when the levels match")
  func accumulationNormalisation() {
    let reference = Reference(
      totalBatch: 64, learningRate: 1e-4, origin: "r", earlyLevels: EarlyLevels(loss: 2, gradNorm: 1, accumulation: 1))
    let settings = Self.settings([("gradient_accumulation_steps", .int(8))])
    let eightfold = Self.run(losses: [Double](repeating: 16, count: 30), gradNorms: [Double](repeating: 8, count: 30), findings: [])
    #expect(
      AccumulationNormalisationRule.evaluate(AttributionContext(diagnosis: eightfold, settings: settings, reference: reference))?
        .confidence == .high)
    let same = Self.run(losses: [Double](repeating: 2.1, count: 30), findings: [])
    #expect(AccumulationNormalisationRule.evaluate(AttributionContext(diagnosis: same, settings: settings, reference: reference)) == nil)
  }

  @Test("isolated late spikes that recovered: no setting to blame, no suggestion; not when one never recovered")
  func isolated() {
    let settings = Self.settings([("warmup_steps", .int(50)), ("max_grad_norm", .double(1))])
    let recovered = Attribution.causes(
      AttributionContext(diagnosis: Self.run(losses: Self.flat, findings: [Self.spike(600)]), settings: settings))
    #expect(recovered.map(\.kind) == [.noSettingToBlame])
    #expect(recovered.first?.suggestions.isEmpty == true)
    let stuck = Attribution.causes(
      AttributionContext(diagnosis: Self.run(losses: Self.flat, findings: [Self.spike(600, recovery: .never)]), settings: settings))
    #expect(stuck.isEmpty)
  }
}
