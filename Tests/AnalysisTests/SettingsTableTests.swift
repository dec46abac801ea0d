import LogParse
import Testing

@testable import Analysis

@Suite("Settings table")
struct SettingsTableTests {
  func table(_ settings: [(String, SettingValue, SettingSource)]) -> SettingsTable {
    var table = SettingsTable()
    for (index, (name, value, source)) in settings.enumerated() {
      table.add(
        SettingEvent(location: SourceLocation(line: index + 1, offset: 0), name: name, value: value, source: source),
        from: "train.log")
    }
    return table
  }

  @Test("world size derived from the banner: 256 ÷ (4 × 1) = 64, with its arithmetic")
  func worldSize() throws {
    let table = table([
      ("per_device_train_batch_size", .int(4), .hfBanner), ("total_batch_size", .int(256), .hfBanner),
      ("gradient_accumulation_steps", .int(1), .hfBanner),
    ])
    let derived = try #require(table.derived.first)
    #expect(derived.name == "world_size" && derived.value == .int(64))
    #expect(
      derived.arithmetic
        == "world_size 64 = total_batch_size 256 ÷ (per_device_train_batch_size 4 × gradient_accumulation_steps 1)")
    #expect(table.missing.isEmpty)
  }

  @Test("DataParallel: the adjusted train_batch_size is the one the total is made of")
  func dataParallel() throws {
    let table = table([
      ("per_device_train_batch_size", .int(4), .hfBanner), ("train_batch_size", .int(8), .hfBanner),
      ("total_batch_size", .int(64), .hfBanner), ("gradient_accumulation_steps", .int(2), .hfBanner),
    ])
    #expect(table.derived.first?.value == .int(4))
    #expect(table.derived.first?.arithmetic.contains("train_batch_size 8 ×") == true)
  }

  @Test("a stated world size gives the total batch instead")
  func totalFromWorld() {
    let table = table([
      ("per_device_train_batch_size", .int(8), .launchCommand),
      ("gradient_accumulation_steps", .int(4), .launchCommand),
      ("world_size", .int(2), .launcher),
    ])
    #expect(table.derived.map(\.name) == ["total_batch_size"])
    #expect(table.derived.first?.value == .int(64))
  }

  @Test("a trainer_state alone: GAS and world size are listed as unknown, not invented")
  func trainerStateOnly() {
    let table = table([
      ("per_device_train_batch_size", .int(6), .trainerState), ("logging_steps", .int(500), .trainerState),
    ])
    #expect(table.derived.isEmpty)
    #expect(table.missing.map(\.name) == ["gradient_accumulation_steps", "world_size"])
    #expect(table.missing.first?.reason.contains("not stored in trainer_state.json") == true)
  }
}
