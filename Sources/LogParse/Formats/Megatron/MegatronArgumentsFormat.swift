/// Megatron's arguments dump (log-formats.md §3): `------------------------ arguments ------------------------`,
/// then sorted `  name ........ value` lines (`'.' * (48 - len(name))`), then
/// `-------------------- end of arguments ---------------------`.
///
/// Settings come out with ``SettingSource/megatronArguments``; names with an HF meaning are renamed
/// (`lr` → `learning_rate`, `micro_batch_size` → `per_device_train_batch_size`, …), others keep
/// Megatron's name. `None` values state nothing and are skipped.
public final class MegatronArgumentsFormat: LogFormat {
  public let name = "megatron-arguments"
  public var readsFromAnyLine: Bool { true }
  private var linesRead = 0
  /// Megatron has a few hundred arguments; a dump without its end line is abandoned after this.
  static let maxLines = 2_000

  static let names: [String: String] = [
    "micro_batch_size": "per_device_train_batch_size",
    "global_batch_size": "global_batch_size",
    "rampup_batch_size": "rampup_batch_size",
    "lr": "learning_rate",
    "min_lr": "min_lr",
    "lr_warmup_iters": "warmup_steps",
    "lr_warmup_samples": "lr_warmup_samples",
    "lr_warmup_fraction": "warmup_ratio",
    "lr_decay_style": "lr_scheduler_type",
    "lr_decay_iters": "lr_decay_iters",
    "clip_grad": "max_grad_norm",
    "loss_scale": "loss_scale",
    "initial_loss_scale": "initial_loss_scale",
    "fp16": "fp16",
    "bf16": "bf16",
    "world_size": "world_size",
    "data_parallel_size": "data_parallel_size",
    "tensor_model_parallel_size": "tensor_model_parallel_size",
    "pipeline_model_parallel_size": "pipeline_model_parallel_size",
    "train_iters": "max_steps",
    "train_samples": "train_samples",
    "log_interval": "logging_steps",
  ]

  public init() {}

  public var anchors: [Anchor] { [Anchor(Self.header)] }

  private static let header = "-------- arguments --------"

  /// Occurrences that share dashes with the one before (`… arguments -------- arguments …`) are
  /// one header, as a left-to-right search finds it.
  public func candidates(from hits: [AnchorHit], in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    var end = 0
    for hit in hits where hit.offset >= end {
      offsets.append(hit.offset)
      end = hit.offset + Self.header.utf8.count
    }
  }

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    linesRead = 0
    return .wantsFollowingSegments
  }

  public func continueBlock(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    linesRead += 1
    let bytes = segment.bytes
    var start = LinePrefix.parse(bytes).contentStart
    if linesRead > Self.maxLines || ByteText.find("end of arguments", in: bytes, from: start) != nil { return .done }
    // Two spaces indent each argument; `[default0]: ` style prefixes may have taken one of them.
    let indent = start
    while start < bytes.count, bytes[start] == 0x20 { start += 1 }
    guard start > indent, let (name, value) = DeepSpeedConfigDumpFormat.dumpEntry(bytes, from: start)
    else { return .wantsFollowingSegments }
    let argument = ByteText.string(bytes, name)
    if let settingName = Self.names[argument], let parsed = SettingValue.parse(ByteText.slice(bytes, value)) {
      events.append(
        .setting(
          SettingEvent(
            location: segment.location, name: settingName, value: parsed, source: .megatronArguments,
            text: ByteText.string(bytes, name.lowerBound..<value.upperBound))))
    }
    return .wantsFollowingSegments
  }
}
