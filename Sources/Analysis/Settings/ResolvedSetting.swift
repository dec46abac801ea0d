public import LogParse

/// One setting of a run after every source was heard: the value used, who stated it, and for a
/// derived value the arithmetic that gives it.
public struct ResolvedSetting: Sendable {
  public var name: SettingName
  public var value: SettingValue
  /// Every statement of this setting, highest-priority source first (including `"auto"` ones).
  public var sources: [SettingsTable.Entry]
  /// Computed from other settings rather than stated.
  public var derived: Bool
  /// For a derived value: `total_batch_size 64 = per-device 4 × GAS 8 × data-parallel 2`.
  public var arithmetic: String?

  public init(
    name: SettingName, value: SettingValue, sources: [SettingsTable.Entry], derived: Bool = false,
    arithmetic: String? = nil
  ) {
    self.name = name
    self.value = value
    self.sources = sources
    self.derived = derived
    self.arithmetic = arithmetic
  }
}

/// Two sources stating different values for the same setting.
public struct SettingDisagreement: Sendable {
  public var name: SettingName
  /// The statements, highest-priority source first; the first one is the value that wins.
  public var statements: [SettingsTable.Entry]
}
