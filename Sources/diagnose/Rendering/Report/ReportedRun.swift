import Analysis

/// One run segment with everything the Markdown and HTML reports show about it: its assessment
/// (diagnosis, resolved settings, causes, suggestions), the log lines its findings cite, and its
/// anchor on the page.
struct ReportedRun: Sendable {
  var assessment: RunAssessment
  /// The text of the log lines the findings cite, keyed by evidence.
  var quotes: [Evidence: String] = [:]
  /// An id usable as an HTML anchor and stable across runs of the tool: the position in the report.
  var anchor: String

  var diagnosis: RunDiagnosis { assessment.diagnosis }
  var settings: RunSettings { assessment.settings }
  var causes: [Cause] { assessment.causes }
  var suggestions: [Suggestion] { assessment.suggestions }

  /// Findings worth quoting: warnings and criticals (info findings explain, they do not alarm).
  var alarming: [Finding] { diagnosis.findings.filter { $0.severity > .info } }

  init(_ assessment: RunAssessment, anchor: String) {
    self.assessment = assessment
    self.anchor = anchor
    let wanted = alarming.flatMap { $0.evidence.prefix(Self.quotesPerFinding) }
    quotes = LogLineQuoter.quotes(for: wanted)
  }

  /// The runs, in order, with the cited lines read back from the logs.
  static func collect(_ assessments: [RunAssessment]) -> [ReportedRun] {
    assessments.enumerated().map { ReportedRun($1, anchor: "run-\($0 + 1)") }
  }

  /// Log lines quoted per finding; the rest are listed as `file:line` only.
  static let quotesPerFinding = 3
}
