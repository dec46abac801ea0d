/// The `TrainingArguments` fields read as settings, and how their `str()` values are written.
enum TrainingArgumentKeys {
  enum Kind { case int, double, bool, string, scheduler }

  /// log-formats.md §1.5 "Keys to read", plus the logging flags the series and the NaN
  /// detectors need (`logging_first_step`, `logging_nan_inf_filter`).
  static let kinds: [String: Kind] = [
    "per_device_train_batch_size": .int, "gradient_accumulation_steps": .int, "learning_rate": .double,
    "lr_scheduler_type": .scheduler, "warmup_ratio": .double, "warmup_steps": .int, "max_grad_norm": .double,
    "num_train_epochs": .double, "max_steps": .int, "logging_steps": .int, "logging_first_step": .bool,
    "logging_nan_inf_filter": .bool, "deepspeed": .string, "fp16": .bool, "bf16": .bool, "seed": .int,
    "adam_beta1": .double, "adam_beta2": .double, "adam_epsilon": .double, "weight_decay": .double,
    "_n_gpu": .int, "optim": .scheduler,
  ]

  /// The value of `text` as `kind`; `None` and unreadable values give `nil`.
  static func value(_ text: UnsafeRawBufferPointer, as kind: Kind) -> SettingValue? {
    if Key.equals(text, "None") || text.isEmpty { return nil }
    switch kind {
    case .int:
      // 5.x types `logging_steps` and `warmup_steps` as floats (`logging_steps=1.0`, and
      // `warmup_steps=0.05` as a ratio): kept as written, as a double.
      if let int = NumberParser.parseInt(text) { return .int(int) }
      return NumberParser.parseDouble(text).map(SettingValue.double)
    case .double:
      if let double = NumberParser.parseDouble(text) { return .double(double) }
      return nil
    case .bool:
      if Key.equals(text, "True") { return .bool(true) }
      if Key.equals(text, "False") { return .bool(false) }
      return nil
    case .string:
      return .string(String(decoding: text, as: UTF8.self))
    case .scheduler:
      // `SchedulerType.COSINE` (4.2x–4.3x enums) and `cosine` are the same setting.
      var name = String(decoding: text, as: UTF8.self)
      if let dot = name.lastIndex(of: "."), name.hasPrefix("SchedulerType.") || name.hasPrefix("OptimizerNames.") {
        name = String(name[name.index(after: dot)...])
      }
      return .string(name.lowercased())
    }
  }
}
