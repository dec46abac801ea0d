/// A setting read from a log, a config file or a launch command, with where it was read.
///
/// Names follow HF's argument names where HF has one (`per_device_train_batch_size`,
/// `gradient_accumulation_steps`, `learning_rate`, …); other sources map their own keys onto them
/// where the meaning is the same and keep their own name otherwise (`zero_stage`,
/// `train_batch_size`). LogParse records what each source says; Analysis reconciles them.
public struct SettingEvent: Sendable {
  public var location: SourceLocation
  public var name: String
  public var value: SettingValue
  /// Which kind of line or file stated it.
  public var source: SettingSource
  /// The text the value was read from, for evidence.
  public var text: String?

  public init(location: SourceLocation, name: String, value: SettingValue, source: SettingSource, text: String? = nil) {
    self.location = location
    self.name = name
    self.value = value
    self.source = source
    self.text = text
  }
}

/// A setting's value as stated.
public enum SettingValue: Sendable, Equatable {
  case int(Int)
  case double(Double)
  case bool(Bool)
  case string(String)
  /// DeepSpeed's `"auto"`: filled in from the HF arguments.
  case auto

  public var doubleValue: Double? {
    switch self {
    case .int(let value): Double(value)
    case .double(let value): value
    default: nil
    }
  }

  public var intValue: Int? {
    switch self {
    case .int(let value): value
    case .double(let value) where value == value.rounded() && abs(value) < 1e15: Int(value)
    default: nil
    }
  }
}

/// The kind of line or file a setting came from.
public enum SettingSource: String, Sendable, Codable {
  /// HF's `***** Running training *****` block.
  case hfBanner = "hf-banner"
  /// A `TrainingArguments(...)` dump.
  case hfTrainingArguments = "hf-training-arguments"
  /// `trainer_state.json`.
  case trainerState = "trainer-state"
  /// LLaMA-Factory's `trainer_log.jsonl` (`total_steps`).
  case llamaFactoryLog = "llamafactory-log"
  /// DeepSpeed's `DeepSpeedEngine configuration:` dump or its `json = {…}` block.
  case deepSpeedEngineDump = "deepspeed-engine-dump"
  /// A DeepSpeed JSON config file.
  case deepSpeedConfigFile = "deepspeed-config"
  /// Launcher lines (`WORLD INFO DICT`, `dist_world_size=`, …).
  case launcher = "launcher"
  /// A launch command or shell script (`torchrun … --learning_rate …`).
  case launchCommand = "launch-command"
  /// Megatron's `arguments` dump.
  case megatronArguments = "megatron-arguments"
  /// An error message that states values (DeepSpeed's batch assertion, HF's mismatch list).
  case errorMessage = "error-message"
}
