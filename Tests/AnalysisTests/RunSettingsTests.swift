import LogParse
import Testing

@testable import Analysis

@Suite("Resolving a run's settings from every source")
struct RunSettingsTests {
  func table(_ statements: [(String, SettingValue, SettingSource, Int)]) -> SettingsTable {
    var table = SettingsTable()
    for (name, value, source, line) in statements {
      table.add(
        SettingEvent(location: SourceLocation(line: line, offset: 0), name: name, value: value, source: source),
        from: source == .deepSpeedConfigFile ? "ds.json" : "run.sh")
    }
    return table
  }

  @Test("a CLA-2 style script with an all-auto DeepSpeed config resolves to the script's values")
  func scriptAndAutoConfig() {
    let settings = RunSettings(
      table([
        ("per_device_train_batch_size", .int(1), .launchCommand, 10), ("gradient_accumulation_steps", .int(8), .launchCommand, 11),
        ("nproc_per_node", .int(1), .launchCommand, 12), ("nnodes", .int(1), .launchCommand, 12),
        ("learning_rate", .double(1e-4), .launchCommand, 13), ("fp16", .bool(true), .launchCommand, 14),
        ("train_micro_batch_size_per_gpu", .auto, .deepSpeedConfigFile, 3), ("train_batch_size", .auto, .deepSpeedConfigFile, 4),
        ("gradient_accumulation_steps", .auto, .deepSpeedConfigFile, 5), ("zero_optimization.stage", .int(2), .deepSpeedConfigFile, 9),
        ("initial_scale_power", .int(16), .deepSpeedConfigFile, 7),
      ]))
    #expect(settings.int(.perDeviceTrainBatchSize) == 1)
    #expect(settings[.perDeviceTrainBatchSize]?.sources.count == 2)
    #expect(settings.int(.totalBatchSize) == 8)
    #expect(settings[.totalBatchSize]?.derived == true)
    #expect(settings[.totalBatchSize]?.arithmetic == "total_batch_size 8 = per-device 1 × GAS 8 × data-parallel 1")
    #expect(settings[.precision]?.value == .string("fp16"))
    #expect(settings.int(.zeroStage) == 2)
    #expect(settings.int(.initialLossScale) == 65536)
    #expect(settings.batch?.total == 8)
    #expect(settings.disagreements.isEmpty)
  }

  @Test("the world size is derived from the banner's total, with its arithmetic")
  func worldFromBanner() {
    let settings = RunSettings(
      table([
        ("per_device_train_batch_size", .int(4), .hfBanner, 2), ("total_batch_size", .int(256), .hfBanner, 4),
        ("gradient_accumulation_steps", .int(1), .hfBanner, 5),
      ]))
    #expect(settings.int(.worldSize) == 64)
    #expect(
      settings[.worldSize]?.arithmetic
        == "world_size 64 = total_batch_size 256 ÷ (per_device_train_batch_size 4 × gradient_accumulation_steps 1)")
  }

  @Test("a DeepSpeed value that is not auto and disagrees with the command line is a disagreement; the runtime wins")
  func disagreement() throws {
    let settings = RunSettings(
      table([
        ("per_device_train_batch_size", .int(1), .launchCommand, 10),
        ("train_micro_batch_size_per_gpu", .int(4), .deepSpeedConfigFile, 3),
        ("learning_rate", .double(1e-4), .launchCommand, 13), ("optimizer.params.lr", .double(1e-4), .deepSpeedConfigFile, 20),
      ]))
    #expect(settings.int(.perDeviceTrainBatchSize) == 1)
    let disagreement = try #require(settings.disagreements.first)
    #expect(settings.disagreements.count == 1)
    #expect(disagreement.name == .perDeviceTrainBatchSize)
    #expect(disagreement.statements.map(\.event.value) == [.int(1), .int(4)])
  }

  @Test("warm-up steps follow from the ratio and the total steps as HF rounds them")
  func warmupFromRatio() {
    let settings = RunSettings(
      table([("warmup_ratio", .double(0.03), .launchCommand, 1), ("max_steps", .int(1000), .hfBanner, 2), ("warmup_steps", .int(0), .hfTrainingArguments, 3)]))
    #expect(settings.int(.warmupSteps) == 30)
    #expect(settings[.warmupSteps]?.arithmetic == "warmup_steps 30 = ⌈max_steps 1000 × warmup_ratio 0.03⌉")
  }

  @Test("model parallelism divides the world into data-parallel replicas")
  func dataParallel() {
    let settings = RunSettings(
      table([
        ("world_size", .int(64), .megatronArguments, 1), ("tensor_model_parallel_size", .int(4), .megatronArguments, 2),
        ("pipeline_model_parallel_size", .int(2), .megatronArguments, 3), ("micro_batch_size", .int(2), .megatronArguments, 4),
        ("gradient_accumulation_steps", .int(16), .megatronArguments, 5),
      ]))
    #expect(settings.int(.dataParallelSize) == 8)
    #expect(settings.int(.totalBatchSize) == 256)
  }
}
