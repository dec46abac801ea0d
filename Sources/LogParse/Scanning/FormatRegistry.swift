/// The formats LogParse knows, made fresh for each input (and for each parallel worker: formats
/// keep the state of an open block and search hints).
public enum FormatRegistry {
  /// Every console-log format.
  public static func consoleFormats() -> [any LogFormat] {
    let huggingFace = HuggingFaceScanState()
    return [
      HuggingFaceDictFormat(state: huggingFace), HuggingFaceBannerFormat(state: huggingFace),
      TrainingArgumentsFormat(), DeepSpeedProgressFormat(), DeepSpeedOverflowFormat(),
      DeepSpeedConfigDumpFormat(), DeepSpeedBatchErrorFormat(), LauncherFormat(), LaunchCommandLineFormat(),
      MegatronIterationFormat(), MegatronArgumentsFormat(),
    ]
  }

  /// The training-record shapes LogParse reads, for saying what was looked for when an input had none.
  public static let trainingRecordShapes = [
    "HF Trainer dicts ({'loss': …})", "trainer_state.json log_history", "LLaMA-Factory trainer_log.jsonl",
    "DeepSpeed step=/loss lines", "Megatron 'iteration N/M' lines",
  ]

  /// The message for an input that was read without a single training record.
  public static func noTrainingRecordsMessage(_ path: String) -> String {
    "\(path): no training records found (looked for \(trainingRecordShapes.joined(separator: ", ")))"
  }
}
