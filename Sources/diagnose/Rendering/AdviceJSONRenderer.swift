import Analysis
import LogParse

/// The `settings`, `causes` and `suggestions` members of a run in `diagnose.report/1`.
///
/// `settings`: name → `{value, sources: [{source, line, kind, text}], derived, arithmetic}`;
/// `causes`: `[{kind, confidence, findings: [{kind, step}], explanation, suggestions: [index]}]`;
/// `suggestions`: `[{setting, current, suggested, rule, arithmetic, reason, deepspeed}]`.
enum AdviceJSONRenderer {
  static func members(_ assessment: RunAssessment) -> String {
    "\"settings\": \(settings(assessment.settings)), \"causes\": \(causes(assessment)),"
      + " \"suggestions\": [\(assessment.suggestions.map(suggestion).joined(separator: ", "))]"
  }

  static func settings(_ settings: RunSettings) -> String {
    let entries = settings.values.values.sorted { $0.name.rawValue < $1.name.rawValue }.map { setting in
      let sources = setting.sources.map { entry in
        "{\"source\": \(JSONText.string(entry.sourcePath)), \"line\": \(entry.event.location.line),"
          + " \"kind\": \(JSONText.string(entry.event.source.rawValue)), \"name\": \(JSONText.string(entry.event.name)),"
          + " \"value\": \(SettingText.json(entry.event.value))}"
      }
      return "\(JSONText.string(setting.name.rawValue)): {\"value\": \(SettingText.json(setting.value)),"
        + " \"sources\": [\(sources.joined(separator: ", "))], \"derived\": \(setting.derived),"
        + " \"arithmetic\": \(setting.arithmetic.map(JSONText.string) ?? "null")}"
    }
    return "{" + entries.joined(separator: ", ") + "}"
  }

  static func causes(_ assessment: RunAssessment) -> String {
    let items = assessment.causes.map { cause in
      let findings = cause.findings.map { "{\"kind\": \(JSONText.string($0.kind.rawValue)), \"step\": \($0.step)}" }
      let indices = cause.suggestions.compactMap { suggestion in assessment.suggestions.firstIndex(of: suggestion) }
      return "{\"kind\": \(JSONText.string(cause.kind.rawValue)), \"confidence\": \(JSONText.string(cause.confidence.rawValue)),"
        + " \"findings\": [\(findings.joined(separator: ", "))], \"explanation\": \(JSONText.string(cause.explanation)),"
        + " \"suggestions\": [\(indices.map(String.init).joined(separator: ", "))]}"
    }
    return "[" + items.joined(separator: ", ") + "]"
  }

  static func suggestion(_ suggestion: Suggestion) -> String {
    "{\"setting\": \(JSONText.string(suggestion.setting)), \"current\": \(JSONText.string(suggestion.current)),"
      + " \"suggested\": \(JSONText.string(suggestion.suggested)), \"rule\": \(JSONText.string(suggestion.rule)),"
      + " \"arithmetic\": \(JSONText.string(suggestion.arithmetic)), \"reason\": \(JSONText.string(suggestion.reason)),"
      + " \"deepspeed\": [\(suggestion.deepSpeedKeys.map(JSONText.string).joined(separator: ", "))]}"
  }
}
