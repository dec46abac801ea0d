public import LogParse

/// The settings a run actually used, reconciled from every source that states them.
///
/// Sources are ranked by how close they are to what ran: what the trainer printed at start-up (HF's
/// banner, DeepSpeed's engine dump, Megatron's arguments, launcher lines) over the TrainingArguments
/// dump, over the launch command, over the DeepSpeed JSON file, over `trainer_state.json`. DeepSpeed's
/// `"auto"` is not a value: HF fills it from its own arguments (log-formats.md §2.8). Values that
/// follow from others (world size, total batch, warm-up steps) are derived with their arithmetic.
public struct RunSettings: Sendable {
  public private(set) var values: [SettingName: ResolvedSetting] = [:]
  public private(set) var disagreements: [SettingDisagreement] = []

  public subscript(_ name: SettingName) -> ResolvedSetting? { values[name] }

  public func int(_ name: SettingName) -> Int? { values[name]?.value.intValue }
  public func double(_ name: SettingName) -> Double? { values[name]?.value.doubleValue }

  /// The batch identity, when per-device, GAS, GPUs per node and nodes are all known.
  public var batch: BatchIdentity? {
    guard let perDevice = int(.perDeviceTrainBatchSize), let accumulation = int(.gradientAccumulationSteps),
      let gpus = int(.gpusPerNode), let nodes = int(.nodes)
    else { return nil }
    return BatchIdentity(perDevice: perDevice, gradientAccumulation: accumulation, gpusPerNode: gpus, nodes: nodes)
  }

  public init(_ table: SettingsTable) {
    var statements: [SettingName: [SettingsTable.Entry]] = [:]
    // An error message states the values of a config that was refused, not the run's settings; the
    // consistency checks read those from the error itself.
    for entry in table.entries where entry.event.source != .errorMessage {
      for (name, value) in Self.canonicalStatements(entry.event) {
        var canonical = entry
        canonical.event.value = value
        statements[name, default: []].append(canonical)
      }
    }
    for (name, list) in statements {
      let ranked = list.enumerated().sorted { lhs, rhs in
        let (l, r) = (Self.rank(lhs.element.event.source), Self.rank(rhs.element.event.source))
        return l != r ? l < r : lhs.offset > rhs.offset  // later statements of one kind win
      }.map(\.element)
      let concrete = ranked.filter { $0.event.value != .auto }
      guard let winner = concrete.first else {
        values[name] = ResolvedSetting(name: name, value: .auto, sources: ranked)
        continue
      }
      values[name] = ResolvedSetting(name: name, value: winner.event.value, sources: ranked)
      let distinct = concrete.filter { !Self.same($0.event.value, winner.event.value) }
      if !distinct.isEmpty { disagreements.append(SettingDisagreement(name: name, statements: concrete)) }
    }
    disagreements.sort { $0.name.rawValue < $1.name.rawValue }
    derive()
  }

  // MARK: - Derived values

  private mutating func derive() {
    if !isKnown(.worldSize), let gpus = int(.gpusPerNode), let nodes = int(.nodes) {
      setDerived(.worldSize, .int(gpus * nodes), "world_size \(gpus * nodes) = gpus_per_node \(gpus) × nodes \(nodes)")
    }
    if !isKnown(.nodes), let world = int(.worldSize), let gpus = int(.gpusPerNode), gpus > 0, world % gpus == 0 {
      setDerived(.nodes, .int(world / gpus), "nodes \(world / gpus) = world_size \(world) ÷ gpus_per_node \(gpus)")
    }
    if !isKnown(.gpusPerNode), let world = int(.worldSize), let nodes = int(.nodes), nodes > 0, world % nodes == 0 {
      setDerived(.gpusPerNode, .int(world / nodes), "gpus_per_node \(world / nodes) = world_size \(world) ÷ nodes \(nodes)")
    }
    if !isKnown(.worldSize), let total = int(.totalBatchSize), let perDevice = int(.perDeviceTrainBatchSize),
      let accumulation = int(.gradientAccumulationSteps), perDevice > 0, accumulation > 0,
      total % (perDevice * accumulation) == 0
    {
      let world = total / (perDevice * accumulation)
      setDerived(
        .worldSize, .int(world),
        "world_size \(world) = total_batch_size \(total) ÷ (per_device_train_batch_size \(perDevice) × gradient_accumulation_steps \(accumulation))"
      )
    }
    if !isKnown(.dataParallelSize), let world = int(.worldSize) {
      let tensor = int(.tensorParallelSize) ?? 1
      let pipeline = int(.pipelineParallelSize) ?? 1
      if tensor * pipeline > 1, world % (tensor * pipeline) == 0 {
        setDerived(
          .dataParallelSize, .int(world / (tensor * pipeline)),
          "data_parallel_size \(world / (tensor * pipeline)) = world_size \(world) ÷ (TP \(tensor) × PP \(pipeline))")
      } else if tensor * pipeline == 1 {
        setDerived(.dataParallelSize, .int(world), "data_parallel_size \(world) = world_size \(world) (no model parallelism)")
      }
    }
    if !isKnown(.totalBatchSize), let perDevice = int(.perDeviceTrainBatchSize),
      let accumulation = int(.gradientAccumulationSteps), let replicas = int(.dataParallelSize)
    {
      let total = perDevice * accumulation * replicas
      setDerived(
        .totalBatchSize, .int(total),
        "total_batch_size \(total) = per-device \(perDevice) × GAS \(accumulation) × data-parallel \(replicas)")
    }
    if values[.warmupSteps].map({ $0.value.intValue == 0 }) ?? true, let ratio = double(.warmupRatio), ratio > 0,
      let steps = int(.maxSteps), steps > 0
    {
      // HF: warmup_steps = ceil(num_training_steps × warmup_ratio) when warmup_steps is 0.
      let warmup = Int((Double(steps) * ratio).rounded(.up))
      setDerived(.warmupSteps, .int(warmup), "warmup_steps \(warmup) = ⌈max_steps \(steps) × warmup_ratio \(ratio)⌉")
    }
  }

  /// Whether `name` has a concrete value (`"auto"` does not count: it is to be filled in).
  private func isKnown(_ name: SettingName) -> Bool {
    values[name].map { $0.value != .auto } ?? false
  }

  /// Sets a derived value; the `"auto"` statements it replaces stay listed as its sources.
  private mutating func setDerived(_ name: SettingName, _ value: SettingValue, _ arithmetic: String) {
    values[name] = ResolvedSetting(
      name: name, value: value, sources: values[name]?.sources ?? [], derived: true, arithmetic: arithmetic)
  }

  // MARK: - Mapping statements to canonical settings

  /// The canonical settings one statement speaks for (a bool `fp16` says `precision fp16`).
  static func canonicalStatements(_ event: SettingEvent) -> [(SettingName, SettingValue)] {
    switch event.name {
    case "train_batch_size" where event.source == .hfBanner:
      // HF's banner "Training with DataParallel so batch size has been adjusted to: N" is the batch of
      // one process (per-device × n_gpu), not DeepSpeed's total `train_batch_size`.
      return []
    case "fp16", "fp16_enabled", "fp16.enabled":
      return event.value == .bool(true) ? [(.precision, .string("fp16"))] : []
    case "bf16", "bfloat16_enabled", "bf16.enabled":
      return event.value == .bool(true) ? [(.precision, .string("bf16"))] : []
    case "initial_scale_power", "fp16.initial_scale_power":
      guard let power = event.value.intValue, power >= 0, power < 63 else { return [] }
      return [(.initialLossScale, .int(1 << power))]
    default:
      guard let name = SettingName.canonical(event.name) else { return [] }
      // HF's max_steps -1 means "not set: run the epochs"; it is not a step count.
      if name == .maxSteps, let steps = event.value.intValue, steps <= 0 { return [] }
      return [(name, event.value)]
    }
  }

  static func rank(_ source: SettingSource) -> Int {
    switch source {
    case .hfBanner, .deepSpeedEngineDump, .megatronArguments, .launcher: 0
    case .hfTrainingArguments: 1
    case .launchCommand: 2
    case .deepSpeedConfigFile: 3
    case .trainerState, .llamaFactoryLog: 4
    case .errorMessage: 5
    }
  }

  static func same(_ lhs: SettingValue, _ rhs: SettingValue) -> Bool {
    if let l = lhs.doubleValue, let r = rhs.doubleValue { return l == r || abs(l - r) <= 1e-12 * max(abs(l), abs(r)) }
    if case .string(let l) = lhs, case .string(let r) = rhs { return l.lowercased() == r.lowercased() }
    return lhs == rhs
  }
}
