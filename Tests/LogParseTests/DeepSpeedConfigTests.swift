import Testing

@testable import LogParse

@Suite("DeepSpeed config dump, batch errors and launcher lines")
struct DeepSpeedConfigTests {
  static let dumpLog = """
    [2024-09-15 00:13:21,398] [INFO] [config.py:999:print] DeepSpeedEngine configuration:
    [2024-09-15 00:13:21,398] [INFO] [config.py:1003:print]   activation_checkpointing_config  {
        "partition_activations": false,
        "number_checkpoints": null
    }
    [2024-09-15 00:13:21,399] [INFO] [config.py:1003:print]   bfloat16_enabled ............. False
    [2024-09-15 00:13:21,399] [INFO] [config.py:1003:print]   fp16_enabled ................. True
    [2024-09-15 00:13:21,399] [INFO] [config.py:1003:print]   gradient_accumulation_steps .. 2
    [2024-09-15 00:13:21,399] [INFO] [config.py:1003:print]   gradient_clipping ............ 1.0
    [2024-09-15 00:13:21,399] [INFO] [config.py:1003:print]   initial_dynamic_scale ........ 65536
    [2024-09-15 00:13:21,400] [INFO] [config.py:1003:print]   optimizer_name ............... adamw
    [2024-09-15 00:13:21,400] [INFO] [config.py:1003:print]   optimizer_params ............. None
    [2024-09-15 00:13:21,400] [INFO] [config.py:1003:print]   scheduler_name ............... WarmupDecayLR
    [2024-09-15 00:13:21,400] [INFO] [config.py:1003:print]   steps_per_print .............. 10
    [2024-09-15 00:13:21,400] [INFO] [config.py:1003:print]   train_batch_size ............. 32
    [2024-09-15 00:13:21,400] [INFO] [config.py:1003:print]   train_micro_batch_size_per_gpu  4
    [2024-09-15 00:13:21,400] [INFO] [config.py:1003:print]   world_size ................... 4
    [2024-09-15 00:13:21,400] [INFO] [config.py:1003:print]   zero_optimization_stage ...... 2
    [2024-09-15 00:13:21,400] [INFO] [config.py:989:print_user_config]   json = {
        "train_batch_size": 32, 
        "gradient_accumulation_steps": 2, 
        "optimizer": {
            "type": "AdamW", 
            "params": {"lr": 3e-05, "betas": [0.9, 0.999]}
        }, 
        "fp16": {"enabled": true, "initial_scale_power": 16}, 
        "zero_optimization": {"stage": 2, "reduce_bucket_size": 5.000000e+08}, 
        "steps_per_print": 1.000000e+10
    }
    [2024-09-15 00:13:28,261] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, reducing to 32768

    """

  @Test("the dotted dump and the json block give the batch, precision, optimizer and ZeRO settings")
  func engineDump() throws {
    let events = try scanEvents(Self.dumpLog)
    let dump = settings(events).filter { $0.source == .deepSpeedEngineDump }
    let dotted = dump.filter { $0.location.line < 19 }
    #expect(
      dotted.map(\.name) == [
        "bf16", "fp16", "gradient_accumulation_steps", "gradient_clipping", "initial_loss_scale", "optimizer",
        "scheduler",
        "steps_per_print", "train_batch_size", "train_micro_batch_size_per_gpu", "world_size", "zero_stage",
      ])
    #expect(
      dotted.map(\.value) == [
        .bool(false), .bool(true), .int(2), .double(1.0), .int(65536), .string("adamw"), .string("WarmupDecayLR"),
        .int(10),
        .int(32), .int(4), .int(4), .int(2),
      ])
    let json = dump.filter { $0.location.line >= 19 }
    #expect(
      json.map(\.name) == [
        "train_batch_size", "gradient_accumulation_steps", "optimizer", "optimizer.params.lr", "fp16",
        "initial_scale_power",
        "zero_stage", "steps_per_print",
      ])
    #expect(json.last?.value == .double(1e10))
    #expect(json.first?.location.line == 20)
    #expect(json.first { $0.name == "zero_stage" }?.location.line == 27)
    // The block ended at the closing brace: the overflow after it is still read.
    #expect(overflows(events).count == 1)
    #expect(notes(events).isEmpty)
  }

  @Test("a cut json block is reported, not half-read")
  func cutJSONBlock() throws {
    let events = try scanEvents(
      "[2024-09-15 00:13:21,400] [INFO] [config.py:989:print_user_config]   json = {\n    \"train_batch_size\": 32,\n")
    #expect(settings(events).isEmpty)
    #expect(notes(events).count == 1)
  }

  @Test(
    "the batch assertion, new and old forms, on one line or wrapped by rich with rank prefixes, gives its four numbers",
    arguments: [
      (
        "[rank0]: AssertionError: Check batch related parameters. train_batch_size is not equal to micro_batch_per_gpu * gradient_acc_step * world_size 8 != 2 * 1 * 1 \n",
        [8, 2, 1, 1]
      ),
      (
        "AssertionError: Check batch related parameters. train_batch_size is not equal to micro_batch_per_gpu * gradient_acc_step * world_size2 != 1 * 1 * 1\n",
        [2, 1, 1, 1]
      ),
      (
        "AssertionError: Check batch related parameters. train_batch_size is not\nequal to micro_batch_per_gpu * gradient_acc_step * world_size 64 != 4 *\n8 * 1\n",
        [64, 4, 8, 1]
      ),
      (
        "[rank1]: AssertionError: Check batch related parameters. train_batch_size is not equal to\n[rank1]: micro_batch_per_gpu * gradient_acc_step * world_size 32 != 4 * 2 \n[rank1]: * 2\n",
        [32, 4, 2, 2]
      ),
    ])
  func batchAssertion(_ log: String, _ numbers: [Int]) throws {
    let events = try scanEvents(log)
    let errors = configurationErrors(events)
    #expect(errors.count == 1)
    guard case .batchAssertion(let train, let micro, let accumulation, let world)? = errors.first?.kind else {
      Issue.record("no batch assertion")
      return
    }
    #expect([train, micro, accumulation, world] == numbers)
    #expect(errors.first?.location.line == 1)
    let stated = settingValues(events, source: .errorMessage)
    #expect(stated["train_batch_size"] == .int(numbers[0]))
    #expect(stated["train_micro_batch_size_per_gpu"] == .int(numbers[1]))
    #expect(stated["gradient_accumulation_steps"] == .int(numbers[2]))
    #expect(stated["world_size"] == .int(numbers[3]))
  }

  @Test("HF's DeepSpeed mismatch list gives one error per `- ds … vs hf …` line")
  func mismatchList() throws {
    let log = """
      ValueError: Please correct the following DeepSpeed config values that mismatch TrainingArguments values:
      - ds train_batch_size=16 vs hf train_batch_size (calculated)=32
      - ds optimizer.params.lr=0.001 vs hf learning_rate=0.0001
      The easiest method is to set these DeepSpeed config values to 'auto'.
      {'loss': 2.5, 'learning_rate': 0.0001, 'epoch': 0.1}

      """
    let events = try scanEvents(log)
    let errors = configurationErrors(events)
    #expect(errors.count == 2)
    #expect(
      errors.first?.kind
        == .deepSpeedMismatch(
          deepSpeedKey: "train_batch_size", deepSpeedValue: "16", huggingFaceKey: "train_batch_size (calculated)",
          huggingFaceValue: "32"))
    #expect(
      errors.last?.kind
        == .deepSpeedMismatch(
          deepSpeedKey: "optimizer.params.lr", deepSpeedValue: "0.001", huggingFaceKey: "learning_rate",
          huggingFaceValue: "0.0001"))
    #expect(errors.map(\.location.line) == [2, 3])
    #expect(trainingSteps(events).count == 1)
  }

  @Test("launcher lines give nodes, GPUs per node and world size, once per kind of line")
  func launcherLines() throws {
    let log = """
      [2024-09-15 00:13:07,116] [INFO] [runner.py:585:main] cmd = /usr/bin/python -u -m deepspeed.launcher.launch --world_info=eyJsb2NhbGhvc3QiOiBbMCwgMSwgMiwgM119 --master_addr=127.0.0.1 --master_port=29500 train.py
      [2024-09-15 00:13:10,097] [INFO] [launch.py:146:main] WORLD INFO DICT: {'worker-0': [0, 1, 2, 3, 4, 5, 6, 7], 'worker-1': [0, 1, 2, 3, 4, 5, 6, 7]}
      [2024-09-15 00:13:10,097] [INFO] [launch.py:152:main] nnodes=2, num_local_procs=8, node_rank=0
      [2024-09-15 00:13:10,097] [INFO] [launch.py:164:main] dist_world_size=16
      [2024-09-15 00:13:15,931] [INFO] [config.py:733:__init__] Config mesh_device None world_size = 16
      [2024-09-15 00:13:15,978] [INFO] [config.py:733:__init__] Config mesh_device None world_size = 16

      """
    let launcher = settings(try scanEvents(log)).filter { $0.source == .launcher }
    #expect(
      launcher.map(\.name) == [
        "nodes", "gpus_per_node", "world_size", "nodes", "gpus_per_node", "world_size", "nodes", "gpus_per_node",
        "world_size",
      ])
    #expect(
      launcher.map(\.value) == [.int(1), .int(4), .int(4), .int(2), .int(8), .int(16), .int(2), .int(8), .int(16)])
    // `dist_world_size=16` and every rank's `Config mesh_device None world_size = 16` state one thing: it is kept once.
    #expect(launcher.map(\.location.line) == [1, 1, 1, 2, 2, 2, 3, 3, 4])
    let nnodes = settings(try scanEvents("[launch.py:152:main] nnodes=2, num_local_procs=8, node_rank=0\n"))
    #expect(nnodes.map(\.name) == ["nodes", "gpus_per_node"])
    #expect(nnodes.map(\.value) == [.int(2), .int(8)])
  }

  @Test("prefixes are peeled and the rank kept: [default0]:, [rank0]:, srun labels, pdsh hosts, ANSI colours")
  func prefixes() throws {
    let log = """
      [default1]:[2024-01-01 00:00:00,000] [INFO] [logging.py:96:log_dist] [Rank 1] step=20, skipped=0, lr=[1e-05], mom=[(0.9, 0.999)]
      3: [2024-01-01 00:00:00,000] [INFO] [logging.py:96:log_dist] [Rank 3] step=30, skipped=1, lr=[1e-05], mom=[(0.9, 0.999)]
      worker-0: \u{1B}[32m[2024-01-01 00:00:00,000] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 8, reducing to 4\u{1B}[0m
      [rank2]: [2024-01-01 00:00:00,000] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 2 Skipping step. Attempted loss scale: 4, reducing to 2

      """
    let events = try scanEvents(log)
    #expect(trainingSteps(events).map(\.rank) == [1, 3])
    #expect(overflows(events).map(\.rank) == [0, 2])
    #expect(overflows(events).map(\.newScale) == [4, 2])
  }

  @Test("commands a log shows (shell prompt, DeepSpeed runner's cmd =, set -x trace) give launch settings once")
  func commandLinesInLogs() throws {
    let log = """
      (venv) [gpu05]$ deepspeed --num_gpus=4 train.py --deepspeed_config=ds_config.json
      [2024-09-15 00:13:07,116] [INFO] [runner.py:585:main] cmd = /usr/bin/python -u -m deepspeed.launcher.launch --world_info=eyJsb2NhbGhvc3QiOiBbMCwgMSwgMiwgM119 --master_port=29500 train.py --deepspeed_config=ds_config.json
      + torchrun --nnodes 2 --nproc_per_node 8 finetune.py --learning_rate 2e-5 --gradient_accumulation_steps 4 --bf16
      machine2: + torchrun --nnodes 2 --nproc_per_node 8 finetune.py --learning_rate 2e-5 --gradient_accumulation_steps 4 --bf16
      + export LR=1
      the loss went up by 2 $ per step

      """
    let commands = settings(try scanEvents(log)).filter { $0.source == .launchCommand }
    #expect(
      commands.map(\.name) == [
        "gpus_per_node", "deepspeed", "nodes", "gpus_per_node", "learning_rate", "gradient_accumulation_steps", "bf16",
      ])
    #expect(
      commands.map(\.value) == [
        .int(4), .string("ds_config.json"), .int(2), .int(8), .double(2e-5), .int(4), .bool(true),
      ])
    #expect(commands.map(\.location.line) == [1, 1, 3, 3, 3, 3, 3])
  }
}
