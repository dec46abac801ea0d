import Foundation
import Testing

@testable import LogParse

/// The console formats read on two cores give exactly the one-core events: every field, line
/// numbers, run boundaries, notes and duplicate counts, wherever the ranges are cut.
@Suite("Two cores give the one-core events")
struct TwoCoreEquivalenceTests {
  /// Every stateful shape in one region: launcher lines printed by two ranks, a multi-line
  /// TrainingArguments dump, the banner printed by two nodes, rank- and host-prefixed copies of
  /// each dict, an eval dict, a DeepSpeed engine dump with its `json = {` block (printed twice),
  /// a fused-optimizer overflow triple and a lone `Grad overflow` line, a restart (banner after
  /// steps, epoch going back), a Megatron arguments block and iteration lines, and a cut dict.
  static let log: String = {
    var text = """
      [2024-03-01 10:00:00,000] [INFO] [runner.py:585:main] cmd = /usr/bin/python -u -m deepspeed.launcher.launch \
      --world_info=eyJsb2NhbGhvc3QiOiBbMCwgMV19 train.py --deepspeed ds.json --learning_rate 2e-5 --per_device_train_batch_size 4
      [default0]:[2024-03-01 10:00:01,000] [INFO] [launch.py:163:main] nnodes=1, num_local_procs=2, node_rank=0
      [default1]:[2024-03-01 10:00:01,000] [INFO] [launch.py:163:main] nnodes=1, num_local_procs=2, node_rank=0
      [default0]:[2024-03-01 10:00:01,000] [INFO] [launch.py:256:main] dist_world_size=2
      03/01/2024 10:00:02 - INFO - __main__ -   Training/evaluation parameters TrainingArguments(
      _n_gpu=1,
      gradient_accumulation_steps=4,
      learning_rate=2e-05,
      max_grad_norm=1.0,
      per_device_train_batch_size=4,
      )

      """
    text += engineDump + engineDump
    for node in ["machine1: ", "machine2: "] {
      text += node + "[INFO|trainer.py:2048] 2024-03-01 10:00:03,000 >> ***** Running training *****\n"
      text += node + "[INFO|trainer.py:2049] 2024-03-01 10:00:03,000 >>   Num examples = 12,800\n"
      text += node + "[INFO|trainer.py:2050] 2024-03-01 10:00:03,000 >>   Num Epochs = 3\n"
      text += node + "[INFO|trainer.py:2054] 2024-03-01 10:00:03,000 >>   Gradient Accumulation steps = 4\n"
    }
    for step in 1...12 {
      let epoch = Double(step) / 12
      let dict =
        "{'loss': \(1 + 1 / Double(step)), 'grad_norm': \(0.5 * Double(step)), 'learning_rate': 2e-05, 'epoch': \(epoch)}"
      text +=
        "\r 42%|████▏     | \(step)/12 [00:0\(step % 10)<00:07,  1.36it/s]\r\(String(repeating: " ", count: 12))\r"
      text += "[default0]:" + dict + "\n[default1]:" + dict + "\n"
      if step == 3 {
        text +=
          "machine1: " + dict + "\nmachine2: " + dict.replacingOccurrences(of: "'loss': ", with: "'loss': 9") + "\n"
      }
      if step == 4 { text += fusedOverflow }
      if step == 6 {
        text +=
          "{'eval_loss': 1.25, 'eval_runtime': 3.5, 'epoch': \(epoch)}\r\n[default1]:{'eval_loss': 1.25, 'epoch': \(epoch)}\n"
      }
      if step == 8 { text += "{'loss': 2.5, 'grad_norm': \n" }
      if step == 9 {
        text += "[2023-11-07 01:55:08,000] [INFO] [fused_optimizer.py:300:_update_scale] Grad overflow on iteration 9\n"
      }
    }
    text +=
      "{'train_runtime': 99.5, 'train_loss': 1.2345, 'epoch': 1.0}\n{'train_runtime': 99.5, 'train_loss': 1.2345, 'epoch': 1.0}\n"
    text += "***** Running training *****\n  Num examples = 6,400\n  Continuing training from global step 0\n"
    text +=
      "{'loss': 3.25, 'learning_rate': 1e-05, 'epoch': 0.5}\n{'loss': 3.0, 'learning_rate': 1e-05, 'epoch': 1.0}\n"
    text += "{'loss': 2.75, 'learning_rate': 1e-05, 'epoch': 0.25}\n  Num Epochs = 7\n"
    text += megatron
    return text + "[default0]:{'loss': 0.5, 'learning_rate': 1e-06, 'epoch': 2.0}"
  }()

  static let engineDump = """
    [default0]:[2024-09-15 00:13:21,398] [INFO] [config.py:999:print] DeepSpeedEngine configuration:
    [default0]:[2024-09-15 00:13:21,398] [INFO] [config.py:1003:print]   activation_checkpointing_config  {
        "partition_activations": false
    }
    [default0]:[2024-09-15 00:13:21,399] [INFO] [config.py:1003:print]   fp16_enabled ................. True
    [default0]:[2024-09-15 00:13:21,399] [INFO] [config.py:1003:print]   gradient_accumulation_steps .. 4
    [default0]:[2024-09-15 00:13:21,400] [INFO] [config.py:1003:print]   train_batch_size ............. 32
    [default0]:[2024-09-15 00:13:21,400] [INFO] [config.py:1003:print]   train_micro_batch_size_per_gpu  4
    [default0]:[2024-09-15 00:13:21,400] [INFO] [config.py:989:print_user_config]   json = {
        "train_batch_size": 32,
        "fp16": {"enabled": true, "initial_scale_power": 16},
        "zero_optimization": {"stage": 2}
    }
    [default0]:[2024-09-15 00:13:21,401] [INFO] [engine.py:100:init] DeepSpeed ready

    """

  static let fusedOverflow = """
    [2023-11-07 01:55:00,762] [INFO] [fused_optimizer.py:344:_update_scale] Grad overflow on iteration 4
    [2023-11-07 01:55:00,763] [INFO] [fused_optimizer.py:348:_update_scale] Reducing dynamic loss scale from 65536 to 32768.0
    [2023-11-07 01:55:00,763] [INFO] [logging.py:96:log_dist] [Rank 0] Overflow detected. Skipping step. Attempted loss scale: 65536, reducing to 32768.0
    [2023-11-07 01:55:01,000] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 32768, reducing to 16384

    """

  static let megatron = """
    ------------------------ arguments ------------------------
      global_batch_size ............................... 2048
      lr .............................................. 6e-05
      micro_batch_size ................................ 1
    -------------------- end of arguments ---------------------
     iteration      100/   10000 | consumed samples:       102400 | learning rate: 1.500E-04 | global batch size:  1024 | lm loss: 1.244238E+01 | loss scale: 12.0 | grad norm: 8.012 | number of skipped iterations:   0 | number of nan iterations:   0 |
     iteration      200/   10000 | consumed samples:       204800 | learning rate: 1.500E-04 | global batch size:  1024 | loss scale: 6.0 | grad norm: nan | number of skipped iterations:   1 | number of nan iterations:   1 |

    """

  @Test("the generated region holds every stateful shape the sequencer resolves")
  func regionIsRich() throws {
    let events = try scanEvents(Self.log)
    let boundaries = events.compactMap { if case .runBoundary(let boundary) = $0 { boundary } else { nil } }
    #expect(Set(boundaries.map(\.reason)).isSuperset(of: [.banner, .resumeLine, .epochWentBack]))
    #expect(trainingSteps(events).filter { $0.format == .huggingFaceDict }.count == 12 + 3 + 1)
    #expect(trainingSteps(events).filter { $0.format == .megatronIteration }.count == 2)
    #expect(evaluations(events).count == 1)
    let overflows = events.compactMap { if case .overflow(let overflow) = $0 { overflow } else { nil } }
    #expect(overflows.count == 3)
    #expect(overflows.first.map { ($0.step, $0.attemptedScale, $0.newScale) } ?? (nil, nil, nil) == (4, 65536, 32768))
    let settings = events.compactMap { if case .setting(let setting) = $0 { setting } else { nil } }
    #expect(settings.filter { $0.source == .deepSpeedEngineDump && $0.name == "train_batch_size" }.count == 2)
    #expect(settings.filter { $0.source == .launcher && $0.name == "nodes" }.count == 2)
    #expect(
      settings.filter { $0.source == .hfBanner && $0.name == "num_examples" }.map(\.value) == [
        .int(12_800), .int(6_400),
      ])
    #expect(!settings.contains { $0.source == .hfBanner && $0.value == .int(7) })
    #expect(settings.contains { $0.source == .megatronArguments && $0.name == "global_batch_size" })
    let duplicates = try #require(notes(events).first { $0.kind == .duplicates })
    #expect(duplicates.message.hasPrefix("16 log dicts, 1 banner or resume lines, 3 setting lines"))
    #expect(!events.contains { if case .mark = $0 { true } else { false } })
  }

  @Test("a range boundary at every line start gives the one-core events")
  func everyLineStart() throws {
    try withFile(Self.log) { path, bytes in
      let expected = try oneCore(path)
      for start in bytes.indices where start > 0 && bytes[start - 1] == 0x0A {
        let ranges = [0..<Int64(start), Int64(start)..<Int64(bytes.count)]
        #expect(try twoCores(path, ranges: ranges) == expected, "cut at byte \(start)")
      }
    }
  }

  @Test("a block that crosses a range boundary and closes on the file's unterminated last line")
  func blockClosingOnLastLine() throws {
    let text = Self.megatron.split(separator: "\n").prefix(5).joined(separator: "\n")
    #expect(text.hasSuffix("end of arguments ---------------------"))
    try withFile(text) { path, bytes in
      let expected = try oneCore(path)
      #expect(expected.contains { $0.contains("global_batch_size") })
      for start in bytes.indices where start > 0 && bytes[start - 1] == 0x0A {
        let ranges = [0..<Int64(start), Int64(start)..<Int64(bytes.count)]
        #expect(try twoCores(path, ranges: ranges) == expected, "cut at byte \(start)")
      }
    }
  }

  @Test(
    "every line its own range, and ranges of a few lines, give the one-core events", arguments: [1, 2, 80, 300, 1500])
  func manyRanges(_ rangeSize: Int) throws {
    try withFile(Self.log) { path, _ in
      let expected = try oneCore(path)
      #expect(try twoCores(path, rangeSize: Int64(rangeSize)) == expected)
    }
  }

  @Test("ranges of several chunks, the region repeated, give the one-core events", arguments: [65_536, 150_001])
  func largeRanges(_ rangeSize: Int) throws {
    let text = String(repeating: Self.log + "\n", count: 60)
    try withFile(text) { path, bytes in
      #expect(bytes.count > 3 * rangeSize)
      let expected = try oneCore(path)
      #expect(try twoCores(path, rangeSize: Int64(rangeSize)) == expected)
    }
  }

  @Test("a range that starts inside an open training block is read again knowing it: the block's label lines count")
  func longTrainingBlock() throws {
    var text = "{'loss': 2.0, 'learning_rate': 1e-05, 'epoch': 0.5}\n***** Running training *****\n"
    for line in 0..<1_500 { text += "node0:1:1 [0] NCCL INFO Channel \(line)/02 via P2P/IPC\n" }
    text += "  Num examples = 1,234\n  Num Epochs = 5\n  Continuing training from global step 40\n"
    text += "{'loss': 1.5, 'learning_rate': 1e-05, 'epoch': 0.75}\n"
    text += String(repeating: "noise after the block\n", count: 3_000) + "  Num Epochs = 9\n"
    try withFile(text) { path, bytes in
      let expected = try oneCore(path)
      #expect(expected.contains { $0.contains("num_examples") && $0.contains("1234") })
      #expect(expected.contains { $0.contains("resumeLine") })
      #expect(!expected.contains { $0.contains("int(9)") })
      let lineStarts = bytes.indices.filter { $0 > 0 && bytes[$0 - 1] == 0x0A }
      for start in stride(from: 0, to: lineStarts.count, by: 97).map({ lineStarts[$0] }) {
        let ranges = [0..<Int64(start), Int64(start)..<Int64(bytes.count)]
        #expect(try twoCores(path, ranges: ranges) == expected, "cut at byte \(start)")
      }
    }
  }

  @Test("the sample logs, cut at every fourth line start, give the one-core events")
  func sampleLogs() throws {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("SampleLogs")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".log") }
    #expect(names.count >= 4)
    for name in names.sorted() {
      let path = directory.appendingPathComponent(name).path
      let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
      let expected = try oneCore(path)
      #expect(expected.count > 10)
      let lineStarts = bytes.indices.filter { $0 > 0 && bytes[$0 - 1] == 0x0A }
      for start in stride(from: 0, to: lineStarts.count, by: 4).map({ lineStarts[$0] }) {
        let ranges = [0..<Int64(start), Int64(start)..<Int64(bytes.count)]
        #expect(try twoCores(path, ranges: ranges) == expected, "\(name) cut at byte \(start)")
      }
    }
  }

  @Test(
    "every shared corpus log, in small ranges, gives the one-core events", .enabled(if: SharedCorpus.isAvailable),
    arguments: [97, 1021, 16_411])
  func corpus(_ rangeSize: Int) throws {
    let root = try #require(SharedCorpus.root)
    var paths: [String] = []
    let manager = FileManager.default
    let publicDirectory = root.appendingPathComponent("public")
    for name in try manager.contentsOfDirectory(atPath: publicDirectory.path) where name.hasSuffix(".log") {
      paths.append(publicDirectory.appendingPathComponent(name).path)
    }
    let runs = root.appendingPathComponent("runs")
    for name in (try? manager.contentsOfDirectory(atPath: runs.path)) ?? [] {
      let log = runs.appendingPathComponent(name).appendingPathComponent("train.log").path
      if manager.fileExists(atPath: log) { paths.append(log) }
    }
    #expect(paths.count >= 30)
    for path in paths.sorted() {
      let expected = try oneCore(path)
      #expect(try twoCores(path, rangeSize: Int64(rangeSize)) == expected, "\(path)")
    }
  }

  @Test("a NUL byte after records stops both reads at the same line, after the same events")
  func binaryTail() throws {
    let text = Self.log + "\n{'loss': 1.0, 'learning_rate': 1e-05, 'epoch': 3.0}\n\0\0core dump\n{'loss': 1.0}\n"
    try withFile(text) { path, _ in
      var oneCoreEvents: [String] = []
      let oneCoreError = #expect(throws: InputError.self) {
        _ = try LogScanner.scanFile(path) { oneCoreEvents.append(String(describing: $0)) }
      }
      for rangeSize in [1, 64, 700] {
        var events: [String] = []
        let error = #expect(throws: InputError.self) {
          try ParallelScan.scanFile(path, threads: 2, minimumSize: 0, rangeSize: Int64(rangeSize)) {
            events.append(String(describing: $0))
          }
        }
        #expect(events == oneCoreEvents)
        #expect(error?.description == oneCoreError?.description)
        #expect(error?.line != nil)
      }
    }
  }

  // MARK: - Helpers

  private func withFile(_ text: String, _ body: (String, [UInt8]) throws -> Void) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("two-core-\(UUID().uuidString).log")
    let bytes = Array(text.utf8)
    try Data(bytes).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    try body(url.path, bytes)
  }

  private func oneCore(_ path: String) throws -> [String] {
    var events: [String] = []
    _ = try LogScanner.scanFile(path) { events.append(String(describing: $0)) }
    return events
  }

  private func twoCores(_ path: String, rangeSize: Int64) throws -> [String] {
    var events: [String] = []
    try ParallelScan.scanFile(path, threads: 2, minimumSize: 0, rangeSize: rangeSize) {
      events.append(String(describing: $0))
    }
    return events
  }

  private func twoCores(_ path: String, ranges: [Range<Int64>]) throws -> [String] {
    var events: [String] = []
    _ = try ParallelScan.scan(
      path, size: ranges.last!.upperBound, ranges: ranges, threads: 2, formats: FormatRegistry.consoleFormats,
      allowBinary: false, readSize: ChunkReader.defaultReadSize, maxSegmentLength: ChunkReader.defaultMaxSegmentLength
    ) { events.append(String(describing: $0)) }
    return events
  }
}
