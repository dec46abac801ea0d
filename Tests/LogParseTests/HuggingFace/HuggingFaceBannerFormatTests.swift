import Testing

@testable import LogParse

/// The `***** Running training *****` block in each variant of log-formats.md §1.4, built from
/// the format strings of 4.30, 4.46 and 5.24 under each logger prefix.
@Suite("HF run banner")
struct HuggingFaceBannerFormatTests {
  struct Variant: CustomTestStringConvertible, Sendable {
    let name: String
    let prefix: String
    let dataParallel: Bool
    let updateStepsPerEpoch: Bool
    let trainableParameters: Bool
    var testDescription: String { name }
  }

  static let variants: [Variant] = [
    Variant(name: "plain 4.30", prefix: "", dataParallel: false, updateStepsPerEpoch: false, trainableParameters: true),
    Variant(
      name: "explicit format, 2021 (no trainable parameters)",
      prefix: "[INFO|trainer.py:1143] 2021-05-25 06:30:55,249 >> ",
      dataParallel: false, updateStepsPerEpoch: false, trainableParameters: false),
    Variant(
      name: "4.46 with the DataParallel line", prefix: "[INFO|trainer.py:2314] 2024-11-01 10:00:00,000 >> ",
      dataParallel: true, updateStepsPerEpoch: false, trainableParameters: true),
    Variant(
      name: "5.24 default handler", prefix: "[transformers] ", dataParallel: false, updateStepsPerEpoch: true,
      trainableParameters: true),
    Variant(
      name: "CLA-2 basicConfig", prefix: "03/22/2024 09:51:20 - INFO - transformers.trainer - ", dataParallel: false,
      updateStepsPerEpoch: false, trainableParameters: true),
    Variant(
      name: "torchrun --tee prefix", prefix: "[default0]:", dataParallel: false, updateStepsPerEpoch: true,
      trainableParameters: true),
  ]

  static func banner(_ variant: Variant) -> String {
    var lines = ["***** Running training *****", "  Num examples = 12,141", "  Num Epochs = 3"]
    if variant.updateStepsPerEpoch { lines.append("  Num update steps per epoch = 1,518") }
    lines.append("  Instantaneous batch size per device = 4")
    if variant.dataParallel { lines.append("  Training with DataParallel so batch size has been adjusted to: 8") }
    lines.append("  Total train batch size (w. parallel, distributed & accumulation) = 1,024")
    lines.append("  Gradient Accumulation steps = 16")
    lines.append("  Total optimization steps = 5,490")
    if variant.trainableParameters { lines.append("  Number of trainable parameters = 424,102,912") }
    return lines.map { variant.prefix + $0 }.joined(separator: "\n") + "\n"
  }

  @Test("every line of the block becomes a setting, thousands separators stripped", arguments: variants)
  func banner(_ variant: Variant) throws {
    let events = try scanEvents(Self.banner(variant))
    var expected: [String: SettingValue] = [
      "num_examples": .int(12141), "num_train_epochs": .int(3), "per_device_train_batch_size": .int(4),
      "total_batch_size": .int(1024), "gradient_accumulation_steps": .int(16), "max_steps": .int(5490),
    ]
    if variant.updateStepsPerEpoch { expected["num_update_steps_per_epoch"] = .int(1518) }
    if variant.dataParallel { expected["train_batch_size"] = .int(8) }
    if variant.trainableParameters { expected["trainable_parameters"] = .int(424_102_912) }
    #expect(settingValues(events) == expected)
    #expect(settings(events).allSatisfy { $0.source == .hfBanner })
    let steps = try #require(settings(events).first { $0.name == "max_steps" })
    #expect(steps.text == "Total optimization steps = 5,490")
    #expect(steps.location.line == (variant.updateStepsPerEpoch ? 8 : 7) + (variant.dataParallel ? 1 : 0))
    let starts = boundaries(events)
    #expect(starts.count == 1 && starts.first?.kind == .start && starts.first?.reason == .banner)
    #expect(starts.first?.location.line == 1)
  }

  @Test("the same settings whatever the read size, with banners cut across chunks", arguments: [64, 100, 333])
  func acrossChunks(_ readSize: Int) throws {
    let log =
      String(repeating: "x\n", count: 50) + Self.banner(Self.variants[1])
      + "{'loss': 1.0, 'learning_rate': 0.1, 'epoch': 0.1}\n"
    let whole = settingValues(try scanEvents(log))
    #expect(whole.count == 6)
    #expect(settingValues(try scanEvents(log, readSize: readSize)) == whole)
  }

  @Test("an evaluation block's Num examples is not the training set's")
  func evaluationBlock() throws {
    let log =
      Self.banner(Self.variants[0]) + "\n***** Running Evaluation *****\n  Num examples = 1098\n  Batch size = 6\n"
    let events = try scanEvents(log)
    #expect(settings(events).filter { $0.name == "num_examples" }.map(\.value) == [.int(12141)])
  }

  @Test("4.46 resume lines: the run resumes from the stated global step")
  func resume446() throws {
    let log =
      Self.banner(Self.variants[2]) + """
        [INFO|trainer.py:2340] 2024-11-01 10:00:00,000 >>   Continuing training from checkpoint, will skip to saved global_step
        [INFO|trainer.py:2341] 2024-11-01 10:00:00,000 >>   Continuing training from epoch 1
        [INFO|trainer.py:2342] 2024-11-01 10:00:00,000 >>   Continuing training from global step 2000
        [INFO|trainer.py:2343] 2024-11-01 10:00:00,000 >>   Will skip the first 1 epochs then the first 168 batches in the first epoch.

        """
    let found = boundaries(try scanEvents(log))
    #expect(found.map(\.kind) == [.start, .resume])
    #expect(found.last?.fromStep == 2000 && found.last?.location.line == 12)
  }

  @Test("5.24 resume line")
  func resume524() throws {
    let log =
      Self.banner(Self.variants[3])
      + "[transformers]   Resuming training from checkpoint with epoch 1 and global step 1,200\n"
    let found = boundaries(try scanEvents(log))
    #expect(found.map(\.kind) == [.start, .resume])
    #expect(found.last?.fromStep == 1200)
  }

  @Test("16 nodes' banners interleaved line by line: one run, one copy of each setting, copies counted")
  func interleavedNodes() throws {
    let lines = Self.banner(Self.variants[1]).split(separator: "\n").map(String.init)
    var log = ""
    // Node k is k lines late: the blocks overlap as in corpus/public/05.
    for row in 0..<(lines.count + 15) {
      for node in 0..<16 where row - node >= 0 && row - node < lines.count { log += lines[row - node] + "\n" }
    }
    log += "{'train_runtime': 871.787, 'train_samples_per_second': 1.147, 'epoch': 1.0}\n"
    log += "{'train_runtime': 871.7719, 'train_samples_per_second': 1.147, 'epoch': 1.0}\n"
    let events = try scanEvents(log)
    #expect(boundaries(events).count == 1)
    #expect(settings(events).count == 6)
    #expect(summaries(events).count == 1)
    let note = try #require(notes(events).first { $0.kind == .duplicates })
    #expect(
      note.message
        == "1 log dicts, 15 banner or resume lines, 90 setting lines repeated by other ranks or nodes; each was counted once"
    )
  }

  @Test("a new banner after logged steps starts a second run; its settings are stated again")
  func restart() throws {
    let dict = "{'loss': 2.0, 'learning_rate': 1e-05, 'epoch': 0.5}\n"
    let log = Self.banner(Self.variants[0]) + dict + Self.banner(Self.variants[0]) + dict
    let events = try scanEvents(log)
    #expect(boundaries(events).map(\.location.line) == [1, 10])
    #expect(trainingSteps(events).count == 2)
    #expect(settings(events).count == 14)
    #expect(notes(events).isEmpty)
  }
}
