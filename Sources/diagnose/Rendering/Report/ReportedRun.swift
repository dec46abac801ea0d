import Analysis

/// One run segment with everything the Markdown and HTML reports show about it.
///
/// The diagnosis comes from ``RunAnalyzer``; the settings are those its input states, resolved
/// across sources. Causes and suggestions are attribution's (issue 6): the renderers give them their
/// own section, empty until attribution fills ``suggestions`` and ``causes``.
struct ReportedRun: Sendable {
  var diagnosis: RunDiagnosis
  var settings: RunSettings?
  var suggestions: [Suggestion] = []
  /// Likely causes in words, most likely first (filled by attribution when it lands).
  var causes: [String] = []
  /// The text of the log lines the findings cite, keyed by evidence.
  var quotes: [Evidence: String] = [:]

  /// An id usable as an HTML anchor and stable across runs of the tool: the position in the report.
  var anchor: String

  /// Findings worth quoting: warnings and criticals (info findings explain, they do not alarm).
  var alarming: [Finding] { diagnosis.findings.filter { $0.severity > .info } }

  /// The runs of `inputs`, with resolved settings and the cited lines read back from the logs.
  static func collect(_ inputs: [LoadedInput], quoteLimit: Int = ReportedRun.quotesPerFinding) -> [ReportedRun] {
    var result: [ReportedRun] = []
    for input in inputs {
      let settings = input.settings.entries.isEmpty ? nil : RunSettings(input.settings)
      for run in input.runs {
        var reported = ReportedRun(diagnosis: run, settings: settings, anchor: "run-\(result.count + 1)")
        let wanted = reported.alarming.flatMap { $0.evidence.prefix(quoteLimit) }
        reported.quotes = LogLineQuoter.quotes(for: wanted)
        result.append(reported)
      }
    }
    return result
  }

  /// Log lines quoted per finding; the rest are listed as `file:line` only.
  static let quotesPerFinding = 3
}
