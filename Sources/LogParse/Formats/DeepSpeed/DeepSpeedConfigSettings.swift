/// The settings a DeepSpeed config states, named as ``SettingEvent`` names them, in the config's
/// own key order.
///
/// Used for a DeepSpeed JSON file and for the `json = {…}` block DeepSpeed prints at start-up
/// (log-formats.md §2.5, §2.6). Keys HF fills from its arguments keep their DeepSpeed names
/// (`train_micro_batch_size_per_gpu`, `gradient_clipping`) so that Analysis can compare the two;
/// `"auto"` is kept as ``SettingValue/auto``.
enum DeepSpeedConfigSettings {
  /// Where the config text sits: the line and byte offset of its first byte.
  struct Origin {
    var line: Int
    var offset: Int64
    var source: SettingSource
  }

  /// DeepSpeed key paths and the setting names they become.
  static let names: [String: String] = [
    "train_batch_size": "train_batch_size",
    "train_micro_batch_size_per_gpu": "train_micro_batch_size_per_gpu",
    "gradient_accumulation_steps": "gradient_accumulation_steps",
    "gradient_clipping": "gradient_clipping",
    "steps_per_print": "steps_per_print",
    "optimizer.type": "optimizer",
    "optimizer.params.lr": "optimizer.params.lr",
    "optimizer.params.weight_decay": "optimizer.params.weight_decay",
    "scheduler.type": "scheduler",
    "fp16.enabled": "fp16",
    "bf16.enabled": "bf16",
    "bfloat16.enabled": "bf16",
    "fp16.loss_scale": "loss_scale",
    "fp16.initial_scale_power": "initial_scale_power",
    "fp16.loss_scale_window": "loss_scale_window",
    "fp16.hysteresis": "hysteresis",
    "fp16.min_loss_scale": "min_loss_scale",
    "zero_optimization.stage": "zero_stage",
    "zero_optimization.offload_optimizer.device": "offload_optimizer",
    "zero_optimization.offload_param.device": "offload_param",
  ]

  /// Appends a setting for every known key of `config`, in order.
  static func emit(_ config: OrderedJSONValue, origin: Origin, into events: inout [LogEvent]) {
    guard case .object(let members) = config else { return }
    walk(members, path: "", origin: origin, into: &events)
  }

  private static func walk(_ members: [OrderedJSONValue.Member], path: String, origin: Origin, into events: inout [LogEvent]) {
    for member in members {
      let keyPath = path.isEmpty ? member.key : path + "." + member.key
      if case .object(let inner) = member.value {
        walk(inner, path: keyPath, origin: origin, into: &events)
        continue
      }
      let name = names[keyPath] ?? (path == "scheduler.params" ? keyPath : nil)
      guard let name, let value = settingValue(member.value) else { continue }
      let location = SourceLocation(line: origin.line + member.line - 1, offset: origin.offset + Int64(member.offset))
      events.append(
        .setting(
          SettingEvent(location: location, name: name, value: value, source: origin.source, text: "\"\(keyPath)\"")))
    }
  }

  static func settingValue(_ value: OrderedJSONValue) -> SettingValue? {
    switch value {
    case .int(let number): .int(number)
    case .double(let number): .double(number)
    case .bool(let flag): .bool(flag)
    case .string(let text): text == "auto" ? .auto : .string(text)
    case .null, .object, .array: nil
    }
  }
}
