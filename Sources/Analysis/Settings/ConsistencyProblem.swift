public import LogParse

/// Two or more sources that cannot all be right about the run's batch or topology.
public struct ConsistencyProblem: Sendable {
  public enum Kind: String, Sendable, Codable {
    /// A stated total batch ≠ per-device × GAS × data-parallel size.
    case totalBatchMismatch = "total_batch_mismatch"
    /// A DeepSpeed value that is not `"auto"` disagrees with the HF arguments.
    case deepSpeedMismatch = "deepspeed_config_mismatch"
    /// DeepSpeed's own `train_batch_size is not equal to …` assertion fired.
    case batchAssertion = "deepspeed_batch_assertion"
    /// Launcher, banner and config disagree on how many processes there are.
    case worldSizeMismatch = "world_size_mismatch"
  }

  public var kind: Kind
  public var message: String
  /// The statements involved, each with its file and line.
  public var evidence: [SettingsTable.Entry]
  /// What would make the sources agree, with the arithmetic.
  public var fix: String?
  /// DeepSpeed or HF refuses to start with this (HF's "Please correct the following DeepSpeed config
  /// values…", DeepSpeed's batch assertion), as opposed to a run that starts with surprising values.
  public var rejectedAtStartup: Bool
  /// The fix as a concrete change to one setting, when there is one.
  public var suggestion: Suggestion?

  public init(
    kind: Kind, message: String, evidence: [SettingsTable.Entry], fix: String?, rejectedAtStartup: Bool,
    suggestion: Suggestion? = nil
  ) {
    self.kind = kind
    self.message = message
    self.evidence = evidence
    self.fix = fix
    self.rejectedAtStartup = rejectedAtStartup
    self.suggestion = suggestion
  }
}
