public import LogParse

/// The checks that the batch and topology settings from every source agree (stability.md §0.5,
/// §5.3–5.4; log-formats.md §2.6, §2.8).
public enum SettingsConsistency {
  /// Settings that HF fills into the DeepSpeed config and refuses to start over when the config
  /// holds another value (`fill_match` in transformers' integrations/deepspeed.py).
  static let checkedByHF: Set<SettingName> = [
    .perDeviceTrainBatchSize, .gradientAccumulationSteps, .totalBatchSize, .maxGradNorm, .learningRate,
  ]

  /// The problems among `settings`, and the configuration errors the log itself reported.
  public static func check(_ settings: RunSettings, errors: [ReportedError] = []) -> [ConsistencyProblem] {
    var problems = errors.map { explain($0, settings) }
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
      kind: .deepSpeedMismatch, message: message, evidence: [config, command], fix: fix, rejectedAtStartup: rejected,
      suggestion: Suggestion(
        setting: config.event.name, current: show(config.event.value), suggested: "\"auto\"",
        rule: "DeepSpeed follows HF", arithmetic: "HF fills \"auto\" from \(command.event.name) \(show(command.event.value))",
        reason: "the DeepSpeed config must agree with the command line", deepSpeedKeys: ["\"\(config.event.name)\": \"auto\""]))
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
    var suggestion: Suggestion?
    if stated % (perDevice * replicas) == 0 {
      let gas = stated / (perDevice * replicas)
      suggestion = Suggestion(
        setting: "gradient_accumulation_steps", current: String(accumulation), suggested: String(gas),
        rule: "batch identity", arithmetic: "\(stated) = \(perDevice) × \(gas) × \(replicas)",
        reason: "keeps the stated total batch \(stated) at per-device \(perDevice)")
    }
    return ConsistencyProblem(
      kind: .totalBatchMismatch,
      message: "total batch \(stated) is stated, but per-device \(perDevice) × GAS \(accumulation) × data-parallel \(replicas) = \(product)",
      evidence: evidence, fix: fix,
      rejectedAtStartup: evidence.contains { $0.event.source == .deepSpeedConfigFile || $0.event.source == .deepSpeedEngineDump },
      suggestion: suggestion)
  }

  /// A configuration error from the log, with the input it came from.
  public struct ReportedError: Sendable {
    public var sourcePath: String
    public var error: ConfigurationError

    public init(sourcePath: String, error: ConfigurationError) {
      self.sourcePath = sourcePath
      self.error = error
    }
  }

  /// DeepSpeed's batch assertion or HF's mismatch list, explained: which factor was wrong and the
  /// values that would satisfy it.
  static func explain(_ reported: ReportedError, _ settings: RunSettings) -> ConsistencyProblem {
    let error = reported.error
    func entry(_ name: String, _ value: SettingValue) -> SettingsTable.Entry {
      SettingsTable.Entry(
        sourcePath: reported.sourcePath,
        event: SettingEvent(location: error.location, name: name, value: value, source: .errorMessage, text: error.text))
    }
    switch error.kind {
    case .batchAssertion(let total, let micro, let accumulation, let world):
      let product = micro * accumulation * world
      var message =
        "DeepSpeed refused to start: train_batch_size \(total) ≠ micro \(micro) × GAS \(accumulation) × world size \(world) = \(product)."
      var fixes: [String] = []
      let launched = settings[.worldSize].flatMap { $0.sources.first { $0.event.source != .errorMessage } }
      if let launched, let processes = launched.event.value.intValue, processes != world {
        message +=
          " DeepSpeed saw world size \(world), but \(launched.sourcePath):\(launched.event.location.line) says \(processes) processes:"
          + " the processes did not join one group (launch them with torchrun or the deepspeed launcher)."
        if total == micro * accumulation * processes { fixes.append("with \(processes) processes the stated values agree: \(total) = \(micro) × \(accumulation) × \(processes)") }
      }
      fixes.append("set \"train_batch_size\" to \(product) (or \"auto\"): \(product) = \(micro) × \(accumulation) × \(world)")
      if total % (micro * world) == 0 {
        let gas = total / (micro * world)
        fixes.append("or gradient_accumulation_steps \(gas): \(total) = \(micro) × \(gas) × \(world)")
      }
      return ConsistencyProblem(
        kind: .batchAssertion, message: message,
        evidence: [
          entry("train_batch_size", .int(total)), entry("train_micro_batch_size_per_gpu", .int(micro)),
          entry("gradient_accumulation_steps", .int(accumulation)), entry("world_size", .int(world)),
        ], fix: fixes.joined(separator: "; "), rejectedAtStartup: true,
        suggestion: Suggestion(
          setting: "train_batch_size", current: String(total), suggested: "\"auto\" (or \(product))",
          rule: "DeepSpeed batch identity", arithmetic: "\(product) = \(micro) × \(accumulation) × \(world)",
          reason: fixes.dropFirst(fixes.count > 1 ? 0 : 1).joined(separator: "; "),
          deepSpeedKeys: ["\"train_batch_size\": \"auto\""]))
    case .deepSpeedMismatch(let dsKey, let dsValue, let hfKey, let hfValue):
      return ConsistencyProblem(
        kind: .deepSpeedMismatch,
        message: "HF refused to start: the DeepSpeed config says \(dsKey)=\(dsValue) but the arguments say \(hfKey)=\(hfValue).",
        evidence: [entry(dsKey, .string(dsValue))],
        fix: "set \"\(dsKey)\" to \"auto\" (or to \(hfValue)) in the DeepSpeed config", rejectedAtStartup: true,
        suggestion: Suggestion(
          setting: dsKey, current: dsValue, suggested: "\"auto\"", rule: "DeepSpeed follows HF",
          arithmetic: "HF fills \"auto\" from \(hfKey)=\(hfValue)", reason: "HF refuses a DeepSpeed value that disagrees",
          deepSpeedKeys: ["\"\(dsKey)\": \"auto\""]))
    }
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
