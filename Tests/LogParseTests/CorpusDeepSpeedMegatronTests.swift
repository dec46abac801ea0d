import Foundation
import Testing

@testable import LogParse

/// The DeepSpeed and Megatron logs of `../shared/corpus`; expected values were read off the files by hand.
@Suite(
  "DeepSpeed and Megatron logs in the shared corpus", .enabled(if: SharedCorpus.isAvailable, "../shared is not present")
)
struct CorpusDeepSpeedMegatronTests {
  struct OverflowExpectation: CustomTestStringConvertible, Sendable {
    let prefix: String
    let attempted: [Double]
    let new: [Double?]
    let hysteresis: Int
    /// DeepSpeed `step=` lines; none of these excerpts holds a Megatron iteration.
    var deepSpeedSteps = 0
    var testDescription: String { prefix }
  }

  static let overflowFiles: [OverflowExpectation] = [
    OverflowExpectation(
      prefix: "05-", attempted: [256, 256], new: [256, 128], hysteresis: 0, deepSpeedSteps: 1),
    OverflowExpectation(
      prefix: "12-", attempted: [64, 32, 16, 8, 4], new: [32, 16, 8, 4, 2], hysteresis: 0),
    OverflowExpectation(
      prefix: "13-", attempted: [65536, 65536, 32768, 16384], new: [nil, 32768, 16384, 8192], hysteresis: 1),
    OverflowExpectation(
      prefix: "15-", attempted: [134_217_728, 67_108_864, 33_554_432], new: [67_108_864, 33_554_432, 16_777_216],
      hysteresis: 0),
    OverflowExpectation(
      prefix: "16-", attempted: [16_777_216, 8_388_608, 4_194_304, 2_097_152, 1_048_576],
      new: [8_388_608, 4_194_304, 2_097_152, 1_048_576, 524_288], hysteresis: 0),
    OverflowExpectation(prefix: "23-", attempted: [128, 64], new: [64, 32], hysteresis: 0),
    OverflowExpectation(
      prefix: "24-", attempted: [4_294_967_296, 2_147_483_648, 1_073_741_824, 536_870_912, 268_435_456, 134_217_728],
      new: [2_147_483_648, 1_073_741_824, 536_870_912, 268_435_456, 134_217_728, 67_108_864], hysteresis: 0),
  ]

  static func events(_ prefix: String) throws -> [LogEvent] {
    let url = try #require(SharedCorpus.publicFile(prefix))
    var events: [LogEvent] = []
    _ = try LogScanner.scanFile(url.path) { events.append($0) }
    return events
  }

  @Test("each file's overflow messages, in order, with both scales", arguments: overflowFiles)
  func overflowSeries(_ expected: OverflowExpectation) throws {
    let found = overflows(try Self.events(expected.prefix))
    #expect(found.map(\.attemptedScale) == expected.attempted)
    #expect(found.map(\.newScale) == expected.new)
    #expect(found.filter { $0.kind == .hysteresis }.count == expected.hysteresis)
    let steps = trainingSteps(try Self.events(expected.prefix))
    #expect(steps.filter { $0.format == .deepSpeedStep }.count == expected.deepSpeedSteps)
    #expect(steps.filter { $0.format == .megatronIteration }.isEmpty)
  }

  @Test("01: 23 overflows from 2^32 down to 1024, the step=0 line, and train batch 16 = 4 × 1 × 4")
  func file01() throws {
    let events = try Self.events("01-")
    let found = overflows(events)
    #expect(found.count == 23)
    #expect(found.first?.kind == .hysteresis)
    #expect(found.first?.attemptedScale == 4_294_967_296)
    #expect(found.last?.newScale == 1024)
    // One halving per reduced overflow: 2^32 → 2^10 is 22 of them.
    let reduced = found.filter { $0.kind == .reduced }
    #expect(reduced.count == 22)
    let chained = zip(reduced, reduced.dropFirst()).allSatisfy {
      (earlier: OverflowEvent, later: OverflowEvent) -> Bool in
      earlier.newScale == later.attemptedScale
    }
    #expect(chained)
    let steps = trainingSteps(events)
    #expect(steps.map(\.step) == [0])
    #expect(steps.first?.learningRates == [3e-05])
    let dump = settingValues(events, source: .deepSpeedEngineDump)
    let train = try #require(dump["train_batch_size"]?.intValue)
    let micro = try #require(dump["train_micro_batch_size_per_gpu"]?.intValue)
    let accumulation = try #require(dump["gradient_accumulation_steps"]?.intValue)
    let world = try #require(dump["world_size"]?.intValue)
    let numbers: [Int] = [train, micro, accumulation, world]
    #expect(numbers == [16, 4, 1, 4])
    #expect(train == micro * accumulation * world)
    #expect(dump["zero_stage"] == .int(1))
    #expect(dump["fp16"] == .bool(true))
    #expect(dump["initial_scale_power"] == .int(32))
    #expect(dump["scheduler"] == .string("WarmupDecayLR"))
    let command = settingValues(events, source: .launchCommand)
    #expect(command["gpus_per_node"] == .int(4))
    #expect(command["deepspeed"] == .string("zero_dp_config.org.json"))
    let launcher = settingValues(events, source: .launcher)
    #expect(launcher["nodes"] == .int(1))
    #expect(launcher["gpus_per_node"] == .int(4))
    #expect(launcher["world_size"] == .int(4))
    #expect(notes(events).isEmpty)
  }

  @Test("02: four fused-optimizer overflows at iterations 0–3, step lines with skipped=4, timer GAS 4")
  func file02() throws {
    let events = try Self.events("02-")
    let found = overflows(events)
    #expect(found.map(\.step) == [0, 1, 2, 3])
    #expect(found.map(\.attemptedScale) == [65536, 32768, 16384, 8192])
    #expect(found.map(\.newScale) == [32768, 16384, 8192, 4096])
    let steps = trainingSteps(events)
    #expect(steps.map(\.step) == [10, 450, 460, 470])
    #expect(
      steps.allSatisfy {
        $0.skipped == 4 && $0.learningRates?.count == 2 && $0.momentum == [[0.9, 0.95], [0.9, 0.95]]
      })
    #expect(steps.last?.learningRate == 6.557954618867102e-08)
    let samples = throughputs(events)
    #expect(samples.count == 4)
    #expect(samples.allSatisfy { $0.gradientAccumulationSteps == 4 })
  }

  @Test("05: 64 ranks, train batch 256 = 4 × 1 × 64, ZeRO-3; one step=0 line")
  func file05() throws {
    let events = try Self.events("05-")
    let dump = settingValues(events, source: .deepSpeedEngineDump)
    #expect(dump["train_batch_size"] == .int(256))
    #expect(dump["train_micro_batch_size_per_gpu"] == .int(4))
    #expect(dump["gradient_accumulation_steps"] == .int(1))
    #expect(dump["world_size"] == .int(64))
    #expect(dump["zero_stage"] == .int(3))
    #expect(dump["optimizer.params.lr"] == .double(5e-05))
    #expect(trainingSteps(events).filter { $0.format == .deepSpeedStep }.map(\.momentum) == [[[0.9, 0.999]]])
  }

  @Test("16: the ≤ v0.5 timer `0/10, SamplesPerSec=` has a micro-step and no global step")
  func file16() throws {
    let samples = throughputs(try Self.events("16-"))
    #expect(samples.count == 1)
    #expect(samples.first?.microStep == 10)
    #expect(samples.first?.globalStep == nil)
    #expect(samples.first?.samplesPerSecond == 1.8825260836384787)
  }

  @Test("17: three iterations without lm loss and with grad norm nan are NaN losses")
  func file17() throws {
    let steps = trainingSteps(try Self.events("17-"))
    #expect(steps.map(\.step) == [5426, 5427, 5428])
    #expect(steps.allSatisfy { $0.loss?.isNaN == true && $0.lossOmitted && $0.gradNorm?.isNaN == true })
    #expect(steps.allSatisfy { $0.globalBatchSize == 8 && $0.lossScale == 1.0 && $0.learningRate == 2.999e-4 })
    #expect(steps.map(\.consumedSamples) == [43408, 43416, 43424])
  }

  @Test("18: the timestamped core line with lm loss and dummy loss")
  func file18() throws {
    let steps = trainingSteps(try Self.events("18-"))
    #expect(steps.count == 1)
    #expect(steps.first?.step == 1)
    #expect(steps.first?.totalSteps == 250_000_000)
    #expect(steps.first?.loss == 6.612992)
    #expect(steps.first?.losses?.map(\.name) == ["lm loss", "dummy loss"])
    #expect(steps.first?.gradNorm == 111.173)
  }

  @Test("19: three iterations with four loss keys, GBS 512, lr warming up")
  func file19() throws {
    let steps = trainingSteps(try Self.events("19-"))
    #expect(steps.map(\.step) == [29, 30, 31])
    #expect(steps.map(\.loss) == [0.8716962, 0.8535482, 0.8641004])
    #expect(steps.map(\.learningRate) == [5.8e-05, 6e-05, 6.2e-05])
    #expect(steps.allSatisfy { $0.losses?.count == 4 && $0.globalBatchSize == 512 })
    #expect(steps.first?.losses?.map(\.name) == ["lm loss", "seq_load_balancing_loss", "mtp_1 loss", "mtp_2 loss"])
  }

  @Test("25: both batch assertions, the rich-wrapped one included, with their four numbers")
  func file25() throws {
    let errors = configurationErrors(try Self.events("25-"))
    #expect(
      errors.map(\.kind) == [
        .batchAssertion(trainBatchSize: 8, microBatchPerGPU: 2, gradientAccumulationSteps: 1, worldSize: 1),
        .batchAssertion(trainBatchSize: 64, microBatchPerGPU: 4, gradientAccumulationSteps: 8, worldSize: 1),
      ])
    #expect(errors.first?.rank == 0)
  }

  @Test("runs/07 (DeepSpeed 0.19): dump and json block give 32 = 8 × 2 × 2, ZeRO-1; step= lines every 50")
  func run07() throws {
    let url = try #require(SharedCorpus.root?.appendingPathComponent("runs/07-deepspeed-zero1-cpu-2proc/train.log"))
    var events: [LogEvent] = []
    _ = try LogScanner.scanFile(url.path) { events.append($0) }
    let dump = settingValues(events, source: .deepSpeedEngineDump)
    #expect(dump["train_batch_size"] == .int(32))
    #expect(dump["train_micro_batch_size_per_gpu"] == .int(8))
    #expect(dump["gradient_accumulation_steps"] == .int(2))
    #expect(dump["world_size"] == .int(2))
    #expect(dump["zero_stage"] == .int(1))
    #expect(dump["steps_per_print"] == .double(.infinity))
    let steps = trainingSteps(events).filter { $0.format == .deepSpeedStep }
    #expect(steps.first?.step == 0)
    #expect(steps.dropFirst().allSatisfy { ($0.step ?? 1) % 50 == 0 })
    #expect(notes(events).filter { $0.kind != .incompleteRecord }.isEmpty)
  }

  @Test("runs/08: the Chinese-LLaMA-Alpaca-2 ZeRO-2 config file reads with its batch keys auto")
  func run08Config() throws {
    let url = try #require(
      SharedCorpus.root?.appendingPathComponent("runs/08-chinese-llama-alpaca2-sft/ds_zero2_no_offload.cpu_bf16.json"))
    var events: [LogEvent] = []
    try InputLoader.load(url.path) { events.append($0) }
    let values = settingValues(events)
    #expect(values["zero_stage"] == .int(2))
    #expect(values["train_batch_size"] == .auto)
    #expect(values["train_micro_batch_size_per_gpu"] == .auto)
    #expect(values["gradient_accumulation_steps"] == .auto)
    #expect(values["gradient_clipping"] == .auto)
    #expect(values["steps_per_print"] == .int(2000))
  }
}
