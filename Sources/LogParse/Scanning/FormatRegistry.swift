/// The formats LogParse knows, made fresh for each input (formats keep per-input state).
public enum FormatRegistry {
  /// Every console-log format.
  public static func consoleFormats() -> [any LogFormat] {
    let huggingFace = HuggingFaceRunState()
    return [
      HuggingFaceDictFormat(state: huggingFace), HuggingFaceBannerFormat(state: huggingFace),
      TrainingArgumentsFormat(state: huggingFace), DeepSpeedProgressFormat(), DeepSpeedOverflowFormat(),
      DeepSpeedConfigDumpFormat(), DeepSpeedBatchErrorFormat(), LauncherFormat(), LaunchCommandLineFormat(),
      MegatronIterationFormat(), MegatronArgumentsFormat(),
    ]
  }
}
