import Foundation
import LogParse
import Testing

@testable import Analysis

/// The real tiny runs of `../shared/corpus/runs` (transformers 5.24 and 4.31): the console log and
/// the run's own trainer_state.json must give the same steps, and the console's settings must
/// agree with the run's `truth.json`.
@Suite("HF runs in the shared corpus", .enabled(if: HFCorpus.runs != nil, "../shared/corpus/runs is not present"))
struct CorpusRunsTests {
  static let runs = [
    "01-healthy", "02-diverge-lr-high", "02b-diverge-nan", "03-spikes-corrupt-batches", "04-ddp-2proc-gloo",
    "07-deepspeed-zero1-cpu-2proc", "08-chinese-llama-alpaca2-sft", "08b-legacy-pretrain-base",
  ]

  static func series(_ path: String) throws -> (rows: [SeriesRow], table: SettingsTable) {
    var builder = SeriesBuilder()
    var rows: [SeriesRow] = []
    var table = SettingsTable()
    try InputLoader.load(path) { event in
      if let row = builder.add(event) { rows.append(row) }
      if case .setting(let setting) = event { table.add(setting, from: path) }
    }
    return (rows, table)
  }

  @Test(
    "console steps (numbered by the stated logging_steps) equal trainer_state.json's; settings match truth.json",
    arguments: runs)
  func run(_ name: String) throws {
    let folder = try #require(HFCorpus.runs).appendingPathComponent(name)
    let console = try Self.series(folder.appendingPathComponent("train.log").path)
    let state = try Self.series(folder.appendingPathComponent("trainer_state.json").path)
    #expect(!console.rows.isEmpty)
    #expect(console.rows.map(\.step) == state.rows.map(\.step))
    #expect(console.rows.allSatisfy { $0.stepBasis == .loggingSteps && $0.run == 1 })
    let truth = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("truth.json")))
        as? [String: Any])
    let table = console.table
    #expect(
      table.last("per_device_train_batch_size")?.event.value.intValue == truth["per_device_train_batch_size"] as? Int)
    #expect(
      table.last("gradient_accumulation_steps")?.event.value.intValue == truth["gradient_accumulation_steps"] as? Int)
    #expect(table.last("total_batch_size")?.event.value.intValue == truth["total_train_batch_size"] as? Int)
    #expect(table.last("max_steps")?.event.value.intValue == truth["max_steps"] as? Int)
    #expect(table.last("learning_rate")?.event.value.doubleValue == truth["learning_rate"] as? Double)
    // Stated (a DeepSpeed dump, a launcher line) or derived from the banner's total.
    #expect(RunSettings(table).int(.worldSize) == truth["world_size"] as? Int)
  }
}
