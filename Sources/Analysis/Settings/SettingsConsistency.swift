public import LogParse

/// The checks that the batch and topology settings from every source agree (stability.md §0.5,
/// §5.3–5.4; log-formats.md §2.6, §2.8).
public enum SettingsConsistency {
  /// Settings that HF fills into the DeepSpeed config and refuses to start over when the config
  /// holds another value (`fill_match` in transformers' integrations/deepspeed.py).
  static let checkedByHF: Set<SettingName> = [
    .perDeviceTrainBatchSize, .gradientAccumulationSteps, .totalBatchSize, .maxGradNorm, .learningRate,
  ]

  public static func check(_ settings: RunSettings) -> [ConsistencyProblem] {
    var problems: [ConsistencyProblem] = []
    for disagreement in settings.disagreements {
      if let problem = deepSpeedMismatch(disagreement) {
        problems.append(problem)
      } else if [.worldSize, .gpusPerNode, .nodes, .dataParallelSize].contains(disagreement.name) {
        problems.append(worldSizeMismatch(disagreement))
      }
    }
    if let problem = totalMismatch(settings) { problems.append(problem) }
    return problems
  }

  /// A DeepSpeed JSON value that is not `"auto"` against what the command line or HF says.
  static func deepSpeedMismatch(_ disagreement: SettingDisagreement) -> ConsistencyProblem? {
    guard let config = disagreement.statements.first(where: { $0.event.source == .deepSpeedConfigFile }),
      let command = disagreement.statements.first(where: {
        [.launchCommand, .hfTrainingArguments, .hfBanner].contains($0.event.source)
      }),
      !RunSettings.same(config.event.value, command.event.value)
    else { return nil }
    let rejected = checkedByHF.contains(disagreement.name)
    let configText = "\(config.sourcePath):\(config.event.location.line) says \(config.event.name) \(show(config.event.value))"
    let commandText = "\(command.sourcePath):\(command.event.location.line) says \(command.event.name) \(show(command.event.value))"
    var message = "\(configText), but \(commandText)."
    if rejected {
      message += " HF refuses to start: \"Please correct the following DeepSpeed config values that mismatch TrainingArguments values\"."
    }
    let fix = "set \"\(config.event.name)\" to \"auto\" in \(config.sourcePath) (or to \(show(command.event.value))), so that DeepSpeed follows the command line"
    return ConsistencyProblem(
      kind: .deepSpeedMismatch, message: message, evidence: [config, command], fix: fix, rejectedAtStartup: rejected)
  }

  static func worldSizeMismatch(_ disagreement: SettingDisagreement) -> ConsistencyProblem {
    let stated = disagreement.statements.map {
      "\($0.event.name) \(show($0.event.value)) (\($0.sourcePath):\($0.event.location.line))"
    }
    return ConsistencyProblem(
      kind: .worldSizeMismatch,
      message: "the sources disagree on the number of processes: " + stated.joined(separator: ", "),
      evidence: disagreement.statements,
      fix: "check the launcher flags (--nnodes, --nproc_per_node) against what the run printed", rejectedAtStartup: false)
  }

  /// A stated total against per-device × GAS × data-parallel size, when all are known independently.
  static func totalMismatch(_ settings: RunSettings) -> ConsistencyProblem? {
    guard let total = settings[.totalBatchSize], !total.derived, let stated = total.value.intValue,
      let perDevice = settings.int(.perDeviceTrainBatchSize), let accumulation = settings.int(.gradientAccumulationSteps),
      let replicasSetting = settings[.dataParallelSize], let replicas = replicasSetting.value.intValue,
      let world = settings[.worldSize], !(world.arithmetic?.contains("total_batch_size") ?? false)
    else { return nil }
    let product = perDevice * accumulation * replicas
    guard product != stated else { return nil }
    let evidence = total.sources.filter { $0.event.value != .auto }
    var fix = "per-device \(perDevice) × GAS \(accumulation) × data-parallel \(replicas) = \(product)"
    if stated % (perDevice * replicas) == 0 {
      fix += "; to keep total \(stated), set gradient_accumulation_steps to \(stated / (perDevice * replicas))"
        + " (\(stated) = \(perDevice) × \(stated / (perDevice * replicas)) × \(replicas))"
    }
    return ConsistencyProblem(
      kind: .totalBatchMismatch,
      message: "total batch \(stated) is stated, but per-device \(perDevice) × GAS \(accumulation) × data-parallel \(replicas) = \(product)",
      evidence: evidence, fix: fix,
      rejectedAtStartup: evidence.contains { $0.event.source == .deepSpeedConfigFile || $0.event.source == .deepSpeedEngineDump })
  }

  static func show(_ value: SettingValue) -> String {
    switch value {
    case .int(let number): String(number)
    case .double(let number): ShortNumber.format(number)
    case .bool(let flag): flag ? "true" : "false"
    case .string(let text): text
    case .auto: "\"auto\""
    }
  }
}
