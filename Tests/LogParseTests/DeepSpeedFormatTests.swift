import Testing

@testable import LogParse

@Suite("DeepSpeed lines")
struct DeepSpeedFormatTests {
  static let logger = "[2024-09-15 00:13:21,397] [INFO] [logging.py:96:log_dist] "

  struct StepCase: CustomTestStringConvertible, Sendable {
    let line: String
    let step: Int
    let skipped: Int
    let rates: [Double]
    let momentum: [[Double]]?
    let rank: Int?
    var testDescription: String { String(line.suffix(60)) }
  }

  static let stepCases: [StepCase] = [
    StepCase(
      line: logger
        + "[Rank 0] step=10, skipped=4, lr=[4.99804827338393e-05, 4.99804827338393e-05], mom=[(0.9, 0.95), (0.9, 0.95)]",
      step: 10, skipped: 4, rates: [4.99804827338393e-05, 4.99804827338393e-05],
      momentum: [[0.9, 0.95], [0.9, 0.95]], rank: 0),
    StepCase(
      line:
        "[2021-05-25 06:30:55,343] [INFO] [logging.py:60:log_dist] [Rank 0] step=0, skipped=0, lr=[5e-05], mom=[[0.9, 0.999]]",
      step: 0, skipped: 0, rates: [5e-05], momentum: [[0.9, 0.999]], rank: 0),
    StepCase(
      line:
        "[2022-01-01 10:00:00,000] [INFO] [logging.py:68:log_dist] [Rank 0] step=510, skipped=8, lr=[0.01, 0.0], mom=[0.9, 0.9]",
      step: 510, skipped: 8, rates: [0.01, 0.0], momentum: [[0.9], [0.9]], rank: 0),
    StepCase(
      line:
        "[default3]:[2025-01-01 10:00:00,000] [INFO] [logging.py:128:log_dist] [Rank 3] step=2000, skipped=17, lr=[6e-4], mom=[(0.9, 0.95)]",
      step: 2000, skipped: 17, rates: [6e-4], momentum: [[0.9, 0.95]], rank: 3),
  ]

  @Test(
    "the step line gives step, cumulative skipped, every group's lr and momentum in all three forms",
    arguments: stepCases)
  func stepLine(_ expected: StepCase) throws {
    let steps = trainingSteps(try scanEvents(expected.line + "\n"))
    let step = try #require(steps.first)
    #expect(steps.count == 1)
    #expect(step.format == .deepSpeedStep)
    #expect(step.step == expected.step)
    #expect(step.skipped == expected.skipped)
    #expect(step.learningRates == expected.rates)
    #expect(step.learningRate == expected.rates.first)
    #expect(step.momentum == expected.momentum)
    #expect(step.loss == nil)
    #expect(step.rank == expected.rank)
  }

  @Test("the throughput timer in its three generations; GAS is micro_step ÷ global_step")
  func timer() throws {
    let log = """
      [2023-11-07 01:55:23,714] [INFO] [timer.py:260:stop] epoch=0/micro_step=40/global_step=10, RunningAvgSamplesPerSec=25.025771473496132, CurrSamplesPerSec=25.704280480541442, MemAllocated=4.32GB, MaxMemAllocated=38.49GB
      [2022-06-01 10:00:00,000] [INFO] [timer.py:193:stop] 0/20, RunningAvgSamplesPerSec=232.73, CurrSamplesPerSec=240.5, MemAllocated=1.5GB, MaxMemAllocated=3.25GB
      [2021-06-08 12:02:45,002] [INFO] [timer.py:157:stop] 0/1200, SamplesPerSec=463.86
      [2024-01-01 00:00:00,000] [INFO] [timer.py:260:stop] epoch=1/micro_step=8/global_step=1, RunningAvgSamplesPerSec=-inf, CurrSamplesPerSec=12.5, MemAllocated=0.1GB, MaxMemAllocated=0.2GB

      """
    let samples = throughputs(try scanEvents(log))
    #expect(samples.count == 4)
    #expect(samples.map(\.microStep) == [40, 20, 1200, 8])
    #expect(samples.map(\.globalStep) == [10, nil, nil, 1])
    #expect(samples.map(\.gradientAccumulationSteps) == [4, nil, nil, 8])
    #expect(samples.map(\.epoch) == [0, 0, 0, 1])
    #expect(samples[0].samplesPerSecond == 25.025771473496132)
    #expect(samples[0].currentSamplesPerSecond == 25.704280480541442)
    #expect(samples[0].memoryAllocatedGB == 4.32)
    #expect(samples[0].maxMemoryAllocatedGB == 38.49)
    #expect(samples[1].maxMemoryAllocatedGB == 3.25)
    #expect(samples[2].samplesPerSecond == 463.86)
    #expect(samples[2].currentSamplesPerSecond == nil)
    #expect(samples[3].samplesPerSecond == -.infinity)
    #expect(trainingSteps(try scanEvents(log)).isEmpty)
  }

  @Test("the pipeline engine's steps line carries a loss")
  func pipeline() throws {
    let steps = trainingSteps(try scanEvents("steps: 100 loss: 2.3456 iter time (s): 0.123 samples/sec: 520.000\n"))
    #expect(steps.count == 1)
    #expect(steps.first?.format == .deepSpeedPipeline)
    #expect(steps.first?.step == 100)
    #expect(steps.first?.loss == 2.3456)
  }

  struct OverflowCase: CustomTestStringConvertible, Sendable {
    let line: String
    let kind: OverflowEvent.Kind
    let attempted: Double?
    let new: Double?
    var testDescription: String { String(line.suffix(70)) }
  }

  static let overflowCases: [OverflowCase] = [
    OverflowCase(
      line:
        "[2024-09-15 00:13:28,307] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 4294967296, reducing to 2147483648",
      kind: .reduced, attempted: 4_294_967_296, new: 2_147_483_648),
    OverflowCase(
      line:
        "[2024-09-15 00:13:28,261] [INFO] [loss_scaler.py:190:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 4294967296, but hysteresis is 2. Reducing hysteresis to 1",
      kind: .hysteresis, attempted: 4_294_967_296, new: nil),
    OverflowCase(
      line:
        "[2023-02-28 20:08:24,338] [INFO] [stage_1_and_2.py:1769:step] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 64.0, reducing to 32.0",
      kind: .reduced, attempted: 64, new: 32),
    OverflowCase(
      line:
        "[2021-05-25 06:41:46,236] [INFO] [stage3.py:2708:_overflow_clean_up] [deepscale] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 256, reducing to 128.0",
      kind: .reduced, attempted: 256, new: 128),
    OverflowCase(
      line:
        "  1%|█         | 7/1184 [00:24<1:07:59,  3.47s/it][2021-02-04 15:06:23,182] [INFO] [stage2.py:1357:step] [deepscale] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 67108864.0, reducing to 33554432.0",
      kind: .reduced, attempted: 67_108_864, new: 33_554_432),
    OverflowCase(
      line:
        "[2024-09-15 00:13:28,307] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 1, reducing to 0",
      kind: .reduced, attempted: 1, new: 0),
    OverflowCase(
      line:
        "[2024-09-15 00:13:28,307] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step.",
      kind: .skipped, attempted: nil, new: nil),
    OverflowCase(
      line:
        "[2022-01-01 00:00:00,000] [INFO] [unfused_optimizer.py:280:_update_scale] [deepspeed] fp16 dynamic loss scale overflow! Skipping step. Attempted loss scale: 1024.0, reducing to 512.0",
      kind: .reduced, attempted: 1024, new: 512),
    OverflowCase(
      line: "[2022-01-01 00:00:00,000] [INFO] [fused_optimizer.py:300:_update_scale] Grad overflow on iteration: 12",
      kind: .skipped, attempted: nil, new: nil),
    OverflowCase(
      line: "Exception: Current loss scale already at minimum - cannot decrease scale anymore. Exiting run.",
      kind: .minimumReached, attempted: nil, new: nil),
  ]

  @Test("every overflow message variant is one overflow event with its scales", arguments: overflowCases)
  func overflowLine(_ expected: OverflowCase) throws {
    let found = overflows(try scanEvents(expected.line + "\n"))
    #expect(found.count == 1)
    #expect(found.first?.kind == expected.kind)
    #expect(found.first?.attemptedScale == expected.attempted)
    #expect(found.first?.newScale == expected.new)
  }

  @Test("the fused optimizer's three lines for one overflow become one event with the iteration and both scales")
  func fusedOptimizerOverflow() throws {
    let log = """
      [2023-11-07 01:55:00,763] [INFO] [fused_optimizer.py:347:_update_scale] 
      Grad overflow on iteration 0
      [2023-11-07 01:55:00,763] [INFO] [fused_optimizer.py:348:_update_scale] Reducing dynamic loss scale from 65536 to 32768.0
      [2023-11-07 01:55:00,763] [INFO] [logging.py:96:log_dist] [Rank 0] Overflow detected. Skipping step. Attempted loss scale: 65536, reducing to 32768.0
      [2023-11-07 01:55:03,192] [INFO] [fused_optimizer.py:347:_update_scale] 
      Grad overflow on iteration 1
      [2023-11-07 01:55:03,192] [INFO] [fused_optimizer.py:348:_update_scale] Reducing dynamic loss scale from 32768.0 to 16384.0
      [2023-11-07 01:55:03,192] [INFO] [logging.py:96:log_dist] [Rank 0] Overflow detected. Skipping step. Attempted loss scale: 32768.0, reducing to 16384.0
      [2023-11-07 01:55:05,000] [INFO] [logging.py:96:log_dist] [Rank 0] Overflow detected. Skipping step. Attempted loss scale: 16384.0, reducing to 8192.0

      """
    let found = overflows(try scanEvents(log))
    #expect(found.count == 3)
    #expect(found.map(\.step) == [0, 1, nil])
    #expect(found.map(\.attemptedScale) == [65536, 32768, 16384])
    #expect(found.map(\.newScale) == [32768, 16384, 8192])
    #expect(found.map(\.location.line) == [2, 6, 9])
    #expect(found.allSatisfy { $0.kind == .reduced })
  }
}
