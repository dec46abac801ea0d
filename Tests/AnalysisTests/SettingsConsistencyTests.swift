import LogParse
import Testing

@testable import Analysis

@Suite("Checking that the sources agree")
struct SettingsConsistencyTests {
  func settings(_ statements: [(String, SettingValue, SettingSource, Int)]) -> RunSettings {
    var table = SettingsTable()
    for (name, value, source, line) in statements {
      table.add(
        SettingEvent(location: SourceLocation(line: line, offset: 0), name: name, value: value, source: source),
        from: source == .deepSpeedConfigFile ? "ds.json" : (source == .launchCommand ? "run_sft.sh" : "train.log"))
    }
    return RunSettings(table)
  }

  @Test("a non-auto micro batch of 4 against --per_device_train_batch_size 1 is named, rejected at start-up, and fixed")
  func deepSpeedMismatch() throws {
    let problems = SettingsConsistency.check(
      settings([
        ("per_device_train_batch_size", .int(1), .launchCommand, 20),
        ("train_micro_batch_size_per_gpu", .int(4), .deepSpeedConfigFile, 12),
      ]))
    let problem = try #require(problems.first)
    #expect(problems.count == 1)
    #expect(problem.kind == .deepSpeedMismatch)
    #expect(problem.rejectedAtStartup)
    #expect(problem.message.hasPrefix("ds.json:12 says train_micro_batch_size_per_gpu 4, but run_sft.sh:20 says per_device_train_batch_size 1."))
    #expect(problem.fix == "set \"train_micro_batch_size_per_gpu\" to \"auto\" in ds.json (or to 1), so that DeepSpeed follows the command line")
  }

  @Test("\"auto\" values never disagree")
  func autoAgrees() {
    let problems = SettingsConsistency.check(
      settings([
        ("per_device_train_batch_size", .int(1), .launchCommand, 20), ("train_micro_batch_size_per_gpu", .auto, .deepSpeedConfigFile, 12),
        ("train_batch_size", .auto, .deepSpeedConfigFile, 13), ("gradient_accumulation_steps", .int(8), .launchCommand, 21),
        ("nproc_per_node", .int(1), .launchCommand, 22), ("nnodes", .int(1), .launchCommand, 22),
      ]))
    #expect(problems.isEmpty)
  }

  @Test("a stated total that the launcher's world size contradicts, with the GAS that would restore it")
  func totalMismatch() throws {
    let problems = SettingsConsistency.check(
      settings([
        ("train_batch_size", .int(64), .deepSpeedEngineDump, 5), ("train_micro_batch_size_per_gpu", .int(4), .deepSpeedEngineDump, 6),
        ("gradient_accumulation_steps", .int(8), .deepSpeedEngineDump, 7), ("dist_world_size", .int(4), .launcher, 2),
      ]))
    let problem = try #require(problems.first { $0.kind == .totalBatchMismatch })
    #expect(problem.message == "total batch 64 is stated, but per-device 4 × GAS 8 × data-parallel 4 = 128")
    #expect(problem.fix?.contains("set gradient_accumulation_steps to 4 (64 = 4 × 4 × 4)") == true)
  }

  @Test("a consistent 16 = 4 × 1 × 4 gives no problem")
  func consistentTotal() {
    let problems = SettingsConsistency.check(
      settings([
        ("train_batch_size", .int(16), .deepSpeedEngineDump, 5), ("train_micro_batch_size_per_gpu", .int(4), .deepSpeedEngineDump, 6),
        ("gradient_accumulation_steps", .int(1), .deepSpeedEngineDump, 7), ("dist_world_size", .int(4), .launcher, 2),
      ]))
    #expect(problems.isEmpty)
  }

  @Test("launcher and config disagreeing on the world size")
  func worldSize() {
    let problems = SettingsConsistency.check(
      settings([("dist_world_size", .int(8), .launcher, 2), ("world_size", .int(1), .deepSpeedConfigFile, 9)]))
    #expect(problems.map(\.kind) == [.worldSizeMismatch])
  }
}
