/// A concrete change to a setting, with the rule it comes from and the arithmetic.
///
/// Field names follow the report's JSON contract: `{setting, current, suggested, rule, arithmetic,
/// reason}`; `deepSpeedKeys` gives the same change for a DeepSpeed JSON config when one is in play.
public struct Suggestion: Sendable, Equatable {
  public var setting: String
  public var current: String
  public var suggested: String
  public var rule: String
  public var arithmetic: String
  public var reason: String
  /// `"gradient_accumulation_steps": 16` and the like, when a DeepSpeed config is used.
  public var deepSpeedKeys: [String]

  public init(
    setting: String, current: String, suggested: String, rule: String, arithmetic: String, reason: String,
    deepSpeedKeys: [String] = []
  ) {
    self.setting = setting
    self.current = current
    self.suggested = suggested
    self.rule = rule
    self.arithmetic = arithmetic
    self.reason = reason
    self.deepSpeedKeys = deepSpeedKeys
  }

  /// `learning_rate 2e-4 → 1.41e-4  (Adam square-root rule: 2e-4 × √(256 / 512) = 1.41e-4)`.
  public var line: String {
    "\(setting) \(current) → \(suggested)  (\(rule): \(arithmetic))"
  }
}
