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

  public private(set) var entries: [Entry] = []

  public init() {}

  public mutating func add(_ event: SettingEvent, from sourcePath: String) {
    entries.append(Entry(sourcePath: sourcePath, event: event))
  }

  /// The last stated value of `name`, if any.
  public func last(_ name: String) -> Entry? {
    entries.last { $0.event.name == name }
  }

  /// Values that follow from the stated ones.
  public var derived: [Derived] {
    var result: [Derived] = []
    if last("world_size") == nil, let total = last("total_batch_size"), let perDevice = last("per_device_train_batch_size"),
      let accumulation = last("gradient_accumulation_steps"), let t = total.event.value.intValue,
      let b = perDevice.event.value.intValue, let g = accumulation.event.value.intValue, b > 0, g > 0, t % (b * g) == 0
    {
      result.append(
        Derived(
          name: "world_size", value: .int(t / (b * g)),
          arithmetic: "world_size \(t / (b * g)) = total_batch_size \(t) ÷ (per_device_train_batch_size \(b) × gradient_accumulation_steps \(g))",
          inputs: [total, perDevice, accumulation]))
    }
    return result
  }
}
