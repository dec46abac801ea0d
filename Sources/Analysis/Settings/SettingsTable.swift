public import LogParse

/// Every setting stated by the inputs, in the order read, plus the values derived from them.
///
/// This is the raw table `diagnose settings` prints; reconciling sources that disagree is done
/// elsewhere (the settings resolution).
public struct SettingsTable: Sendable {
  /// One stated setting with the input it came from.
  public struct Entry: Sendable {
    public var sourcePath: String
    public var event: SettingEvent
  }

  /// A value computed from stated ones, with its arithmetic.
  public struct Derived: Sendable {
    public var name: String
    public var value: SettingValue
    /// E.g. `world_size 64 = total_batch_size 256 ÷ (per_device_train_batch_size 4 × gradient_accumulation_steps 1)`.
    public var arithmetic: String
    public var inputs: [Entry]
  }

  /// A setting the batch arithmetic needs that no input states, and why.
  public struct Missing: Sendable {
    public var name: String
    public var reason: String
  }

  public private(set) var entries: [Entry] = []

  public init() {}

  public mutating func add(_ event: SettingEvent, from sourcePath: String) {
    entries.append(Entry(sourcePath: sourcePath, event: event))
  }

  /// The last stated value of `name`, if any.
  public func last(_ name: String) -> Entry? {
    entries.last { $0.event.name == name }
  }

  /// The batch each step of one process sees: the DataParallel-adjusted `train_batch_size` the HF
  /// banner prints when there is one (per-device × n_gpu, log-formats.md §1.4), else the per-device size.
  private var processBatch: Entry? {
    entries.last { $0.event.name == "train_batch_size" && $0.event.source == .hfBanner }
      ?? last("per_device_train_batch_size")
  }

  /// Values that follow from the stated ones: the world size from the HF banner's total
  /// (`world = total ÷ (per-device × GAS)`, log-formats.md §5), or the total from a stated world size.
  public var derived: [Derived] {
    var result: [Derived] = []
    guard let perDevice = processBatch, let accumulation = last("gradient_accumulation_steps"),
      let b = perDevice.event.value.intValue, let g = accumulation.event.value.intValue, b > 0, g > 0
    else { return result }
    let batchName = perDevice.event.name
    if last("world_size") == nil, let total = last("total_batch_size"), let t = total.event.value.intValue,
      t % (b * g) == 0
    {
      result.append(
        Derived(
          name: "world_size", value: .int(t / (b * g)),
          arithmetic:
            "world_size \(t / (b * g)) = total_batch_size \(t) ÷ (\(batchName) \(b) × gradient_accumulation_steps \(g))",
          inputs: [total, perDevice, accumulation]))
    } else if last("total_batch_size") == nil, let world = last("world_size"), let w = world.event.value.intValue {
      result.append(
        Derived(
          name: "total_batch_size", value: .int(b * g * w),
          arithmetic:
            "total_batch_size \(b * g * w) = \(batchName) \(b) × gradient_accumulation_steps \(g) × world_size \(w)",
          inputs: [perDevice, accumulation, world]))
    }
    return result
  }

  /// What a `trainer_state.json` cannot tell: it stores neither the gradient-accumulation steps nor
  /// the world size (log-formats.md §1.6). Listed only when no input states them.
  public var missing: [Missing] {
    guard entries.contains(where: { $0.event.source == .trainerState }) else { return [] }
    var result: [Missing] = []
    let reason = "not stored in trainer_state.json; give the console log or the launch command too"
    if last("gradient_accumulation_steps") == nil {
      result.append(Missing(name: "gradient_accumulation_steps", reason: reason))
    }
    if last("world_size") == nil && !derived.contains(where: { $0.name == "world_size" }) {
      result.append(Missing(name: "world_size", reason: reason))
    }
    return result
  }
}
