import Foundation
import Testing

@testable import LogParse

@Suite("DeepSpeed JSON configs and launch scripts")
struct InputReaderTests {
  static func write(_ text: String, suffix: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("input-\(UUID().uuidString)\(suffix)")
    try Data(text.utf8).write(to: url)
    return url.path
  }

  static func load(_ text: String, suffix: String) throws -> (events: [LogEvent], error: InputError?) {
    let path = try write(text, suffix: suffix)
    defer { try? FileManager.default.removeItem(atPath: path) }
    var events: [LogEvent] = []
    do {
      try InputLoader.load(path) { events.append($0) }
      return (events, nil)
    } catch {
      return (events, error)
    }
  }

  @Test("a DeepSpeed config: \"auto\" stays auto, keys map to settings at their lines, in file order")
  func deepSpeedConfig() throws {
    let json = """
      {
        "train_batch_size": "auto",
        "train_micro_batch_size_per_gpu": 4,
        "gradient_accumulation_steps": "auto",
        "gradient_clipping": 1.0,
        "optimizer": {"type": "AdamW", "params": {"lr": "auto", "weight_decay": 0.0}},
        "scheduler": {"type": "WarmupDecayLR", "params": {"warmup_num_steps": 100, "total_num_steps": "auto"}},
        "bf16": {"enabled": true},
        "zero_optimization": {"stage": 3, "offload_optimizer": {"device": "cpu"}},
        "steps_per_print": 1e10
      }
      """
    let (events, error) = try Self.load(json, suffix: ".json")
    #expect(error == nil)
    let stated = settings(events)
    #expect(stated.allSatisfy { $0.source == .deepSpeedConfigFile })
    #expect(
      stated.map(\.name) == [
        "train_batch_size", "train_micro_batch_size_per_gpu", "gradient_accumulation_steps", "gradient_clipping",
        "optimizer",
        "optimizer.params.lr", "optimizer.params.weight_decay", "scheduler", "scheduler.params.warmup_num_steps",
        "scheduler.params.total_num_steps", "bf16", "zero_stage", "offload_optimizer", "steps_per_print",
      ])
    #expect(
      stated.map(\.value) == [
        .auto, .int(4), .auto, .double(1.0), .string("AdamW"), .auto, .double(0.0), .string("WarmupDecayLR"), .int(100),
        .auto,
        .bool(true), .int(3), .string("cpu"), .double(1e10),
      ])
    #expect(stated.map(\.location.line) == [2, 3, 4, 5, 6, 6, 6, 7, 7, 7, 8, 9, 9, 10])
  }

  @Test(
    "invalid JSON is an error naming the line, and nothing half-read is delivered",
    arguments: [
      ("{\n  \"train_batch_size\": 16,\n  \"fp16\": {\"enabled\": true}\n  \"steps_per_print\": 10\n}\n", 4),
      ("{\n  \"train_batch_size\": 16,\n", 3),
      ("{\n  'train_batch_size': 16\n}\n", 2),
      ("[1, 2]\n", 1),
    ])
  func invalidJSON(_ text: String, _ line: Int) throws {
    let (events, error) = try Self.load(text, suffix: ".json")
    let failure = try #require(error)
    #expect(failure.kind == .malformed)
    #expect(failure.line == line)
    #expect(failure.description.contains(".json:\(line)"))
    #expect(events.isEmpty)
  }

  @Test("a script's NAME=value assignments are followed and ${NAME}/$NAME expanded in the launch command")
  func scriptVariables() throws {
    let script = """
      #!/bin/bash
      lr=2e-4
      export per_device_train_batch_size=2   # per GPU
      gas="4"
      deepspeed_config_file=configs/ds_zero3.json
      lr=3e-4
      torchrun --nnodes 2 --nproc_per_node 8 train.py \\
          --deepspeed ${deepspeed_config_file} --seed $RANDOM \\
          --per_device_train_batch_size $per_device_train_batch_size \\
          --gradient_accumulation_steps "${gas}" --learning_rate=${lr} \\
          --warmup_steps ${warmup:-100} --lr_scheduler_type 'linear' --max_grad_norm 0.5 --bf16 True
      """
    let (events, error) = try Self.load(script, suffix: ".sh")
    #expect(error == nil)
    let stated = settings(events)
    #expect(stated.allSatisfy { $0.source == .launchCommand })
    #expect(
      stated.map(\.name) == [
        "nodes", "gpus_per_node", "deepspeed", "per_device_train_batch_size", "gradient_accumulation_steps",
        "learning_rate",
        "warmup_steps", "lr_scheduler_type", "max_grad_norm", "bf16",
      ])
    #expect(
      stated.map(\.value) == [
        .int(2), .int(8), .string("configs/ds_zero3.json"), .int(2), .int(4), .double(3e-4), .int(100),
        .string("linear"),
        .double(0.5), .bool(true),
      ])
    #expect(stated.map(\.location.line) == [7, 7, 8, 9, 10, 10, 11, 11, 11, 11])
    #expect(stated.first { $0.name == "learning_rate" }?.text == "--learning_rate=${lr}")
  }

  @Test(
    "every launcher's topology flags",
    arguments: [
      (
        "python -m torch.distributed.run --nproc-per-node=4 --nnodes=1 train.py --fp16\n",
        [("gpus_per_node", 4), ("nodes", 1)]
      ),
      ("deepspeed --num_nodes 2 --num_gpus 8 train.py --deepspeed ds.json\n", [("nodes", 2), ("gpus_per_node", 8)]),
      ("accelerate launch --num_machines 1 --num_processes 4 train.py\n", [("nodes", 1), ("world_size", 4)]),
      ("srun -N 4 --ntasks-per-node 8 python train.py\n", [("nodes", 4), ("gpus_per_node", 8)]),
    ])
  func launchers(_ command: String, _ expected: [(String, Int)]) throws {
    let (events, error) = try Self.load(command, suffix: ".sh")
    #expect(error == nil)
    let topology = settings(events).filter { ["nodes", "gpus_per_node", "world_size"].contains($0.name) }
    #expect(topology.map(\.name) == expected.map(\.0))
    #expect(topology.map(\.value) == expected.map { .int($0.1) })
  }

  @Test("variables the script never sets are reported with file and line, not guessed; the rest is still read")
  func unresolvedVariables() throws {
    let script = """
      lr=1e-4
      torchrun --nproc_per_node 1 train.py \\
        --learning_rate ${lr} \\
        --per_device_train_batch_size ${batch_size} \\
        --gradient_accumulation_steps $(cat gas.txt)
      """
    let (events, error) = try Self.load(script, suffix: ".sh")
    let failure = try #require(error)
    #expect(failure.line == 4)
    #expect(failure.detail.contains("$batch_size"))
    #expect(failure.detail.contains("$(cat gas.txt)"))
    #expect(failure.detail.contains("line 5"))
    let stated = settingValues(events)
    #expect(stated["learning_rate"] == .double(1e-4))
    #expect(stated["gpus_per_node"] == .int(1))
    #expect(stated["per_device_train_batch_size"] == nil)
    #expect(stated["gradient_accumulation_steps"] == nil)
  }
}
