import ArgumentParser

/// The documented exit statuses of every command.
enum ExitStatus {
  /// All inputs were read (and, for `report`, no finding reached `--fail-on`).
  static let success: Int32 = 0
  /// A finding reached `--fail-on`.
  static let findings: Int32 = 1
  /// A usage error, or an input that could not be read; other inputs were still processed.
  static let inputError: Int32 = 2
}
