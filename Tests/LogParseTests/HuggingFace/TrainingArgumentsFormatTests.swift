import Testing

@testable import LogParse

/// Both shapes of the TrainingArguments dump (log-formats.md §1.5), written from `__str__` (4.x:
/// sorted `key=value,` lines) and the 2021 dataclass repr (one line).
@Suite("TrainingArguments dump")
struct TrainingArgumentsFormatTests {
  static let expected: [String: SettingValue] = [
    "_n_gpu": .int(1), "adam_beta1": .double(0.9), "adam_beta2": .double(0.999), "adam_epsilon": .double(1e-08),
    "bf16": .bool(false), "deepspeed": .string("ds_zero2_no_offload.json"), "fp16": .bool(true),
    "gradient_accumulation_steps": .int(8), "learning_rate": .double(0.0001), "logging_first_step": .bool(true),
    "logging_nan_inf_filter": .bool(false), "logging_steps": .int(10), "lr_scheduler_type": .string("cosine"),
    "max_grad_norm": .double(1.0), "max_steps": .int(-1), "num_train_epochs": .double(1.0),
    "per_device_train_batch_size": .int(1), "seed": .int(42), "warmup_ratio": .double(0.03), "warmup_steps": .int(0),
    "weight_decay": .double(0.0),
  ]

  static let multiLine = """
    08/01/2023 10:00:00 - INFO - __main__ - Training/evaluation parameters MyTrainingArguments(\r
    _n_gpu=1,\r
    accelerator_config={'split_batches': False, 'dispatch_batches': None},\r
    adafactor=False,\r
    adam_beta1=0.9,\r
    adam_beta2=0.999,\r
    adam_epsilon=1e-08,\r
    bf16=False,\r
    data_seed=None,\r
    debug=[],\r
    deepspeed=ds_zero2_no_offload.json,\r
    fp16=True,\r
    gradient_accumulation_steps=8,\r
    hub_token=<HUB_TOKEN>,\r
    learning_rate=0.0001,\r
    logging_dir=output/runs/Aug01_10-00-00_host,\r
    logging_first_step=True,\r
    logging_nan_inf_filter=False,\r
    logging_steps=10,\r
    lr_scheduler_type=SchedulerType.COSINE,\r
    max_grad_norm=1.0,\r
    max_steps=-1,\r
    num_train_epochs=1.0,\r
    per_device_train_batch_size=1,\r
    seed=42,\r
    warmup_ratio=0.03,\r
    warmup_steps=0,\r
    weight_decay=0.0,\r
    )\r
    08/01/2023 10:00:01 - INFO - __main__ - Num train_samples  1000\r
    lr=5,\r

    """

  @Test("4.x multi-line dump, CRLF, subclass name, enum scheduler: each listed key, with its line")
  func multiLineDump() throws {
    let events = try scanEvents(Self.multiLine)
    #expect(settingValues(events) == Self.expected)
    #expect(settings(events).allSatisfy { $0.source == .hfTrainingArguments })
    let steps = try #require(settings(events).first { $0.name == "logging_steps" })
    #expect(steps.location.line == 19)
    #expect(steps.text == "logging_steps=10")
    #expect(boundaries(events).isEmpty)
  }

  @Test("the 2021 one-line repr, with commas inside brackets and quotes")
  func oneLineRepr() throws {
    let line =
      "INFO:__main__:Training/evaluation parameters TrainingArguments(output_dir=out, per_device_train_batch_size=1, "
      + "gradient_accumulation_steps=8, debug=[], fsdp_config={'min_num_params': 0, 'xla': False}, learning_rate=0.0001, "
      + "weight_decay=0.0, adam_beta1=0.9, adam_beta2=0.999, adam_epsilon=1e-08, max_grad_norm=1.0, num_train_epochs=1.0, "
      + "max_steps=-1, lr_scheduler_type=cosine, warmup_ratio=0.03, warmup_steps=0, logging_dir=runs/May25_06-29-27_r9i1n1, "
      + "logging_first_step=True, logging_nan_inf_filter=False, logging_steps=10, run_name='a, b', seed=42, fp16=True, "
      + "bf16=False, deepspeed=ds_zero2_no_offload.json, _n_gpu=1, mp_parameters=)\n"
    let events = try scanEvents(line)
    #expect(settingValues(events) == Self.expected)
    #expect(settings(events).allSatisfy { $0.location.line == 1 })
  }

  @Test("a one-line repr cut by another process' output keeps the keys before the cut")
  func cutRepr() throws {
    let line =
      "INFO:__main__:Training/evaluation parameters TrainingArguments(output_dir=out, per_device_train_batch_size=4, "
      + "gradient_accumulation_steps=1, learning_rate=5e-05, past_index=-1WARNING:__main__:Process rank: 0, device: cuda:0\n"
    let events = try scanEvents(line)
    #expect(
      settingValues(events) == [
        "per_device_train_batch_size": .int(4), "gradient_accumulation_steps": .int(1), "learning_rate": .double(5e-05),
      ])
  }

  @Test("script source quoted in a traceback is not a dump")
  func tracebackSource() throws {
    let log = """
      Traceback (most recent call last):
        File "train.py", line 40, in <module>
          training_args = transformers.TrainingArguments(
      per_device_train_batch_size=64,
      )
          main(TrainingArguments(learning_rate=1.0))

      """
    #expect(settings(try scanEvents(log)).isEmpty)
  }

  @Test("a dump after logged steps is a new process: a run boundary, and its settings are stated again")
  func dumpAfterSteps() throws {
    let dump = "TrainingArguments(logging_steps=5, seed=1)\n"
    let log = dump + "{'loss': 2.0, 'learning_rate': 1e-05, 'epoch': 0.5}\n" + dump
    let events = try scanEvents(log)
    let found = boundaries(events)
    #expect(found.count == 1 && found.first?.reason == .arguments && found.first?.location.line == 3)
    #expect(settings(events).count == 4)
  }
}
