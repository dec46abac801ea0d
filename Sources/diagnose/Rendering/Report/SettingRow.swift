import Analysis
import LogParse

/// One line of a report's settings table: the value a run used, where it was read, and for a
/// derived value its arithmetic.
struct SettingRow {
  var name: String
  var value: String
  /// `hf-training-arguments, line 12`, or `derived`.
  var source: String
  var arithmetic: String
  /// Other sources stating a different value, as `value (kind, line N)`.
  var disagreement: String?

  /// The rows of `settings`, in ``SettingName`` order (batch identity first, as it is read).
  /// Lines of the run's own log are given as `line N`; other files (a DeepSpeed config) by path.
  static func rows(_ settings: RunSettings, runSource: String) -> [SettingRow] {
    let disagreements = Dictionary(
      settings.disagreements.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    return SettingName.allCases.compactMap { name -> SettingRow? in
      guard let resolved = settings[name] else { return nil }
      let winner = resolved.sources.first { $0.event.value != .auto } ?? resolved.sources.first
      let source: String
      if resolved.derived {
        source = "derived"
      } else if let winner {
        source = place(winner, runSource)
      } else {
        source = ""
      }
      var row = SettingRow(
        name: name.rawValue, value: SettingText.value(resolved.value), source: source,
        arithmetic: resolved.arithmetic ?? "")
      if let disagreement = disagreements[name] {
        row.disagreement = disagreement.statements.dropFirst().map {
          "\(SettingText.value($0.event.value)) (\(place($0, runSource)))"
        }.joined(separator: "; ")
      }
      return row
    }
  }

  private static func place(_ entry: SettingsTable.Entry, _ runSource: String) -> String {
    let line = entry.event.location.line
    if entry.sourcePath == runSource { return "\(entry.event.source.rawValue), line \(line)" }
    return "\(entry.event.source.rawValue), \(entry.sourcePath):\(line)"
  }
}
