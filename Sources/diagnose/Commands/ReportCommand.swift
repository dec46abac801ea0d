import Analysis
import ArgumentParser
import LogParse

/// `diagnose report`: the post-mortem — per run segment a verdict, the first bad step and the findings.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Say whether each run was healthy, unstable or diverged, where, and show the evidence.",
    discussion: """
      Each input is cut into run segments (a new run or a resume in the same log starts a new one). \
      Per segment: a verdict (healthy, unstable, diverged, no-data), the first bad step, and findings \
      (loss and grad-norm spikes, divergence, NaN, fp16 loss-scale collapse and overflow storms, clip \
      saturation; epoch boundaries, resumes and the warm-up end as information), each with the log \
      lines behind it.

      --format json writes the diagnose.report/1 contract (schemas/diagnose.report.v1.schema.json). \
      --format markdown fits a GitHub PR comment or CI job summary; --format html --output FILE writes \
      one self-contained page (inline CSS and SVG charts, no network).

      Exit status: 0 when no finding reaches --fail-on; 1 when one does; 2 for a usage error or an \
      input that could not be read (the other inputs are still reported).
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, html
  }

  enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case info, warning, critical, never

    var threshold: Severity? {
      switch self {
      case .info: .info
      case .warning: .warning
      case .critical: .critical
      case .never: nil
      }
    }
  }

  @Argument(help: "Log files to read; '-' reads standard input.")
  var files: [String]

  @Option(help: "Output format: text, json, markdown (a PR comment or CI job summary) or html (one self-contained page).")
  var format: Format = .text

  @Option(help: "Write the report to this file instead of standard output.")
  var output: String?

  @Option(help: "Exit with status 1 when a finding reaches this severity: info, warning, critical or never.")
  var failOn: FailOn = .critical

  @Flag(help: "Read files that look binary (contain NUL bytes) instead of skipping them.")
  var binary = false

  func run() throws {
    var reporter = InputReporter()
    var inputs: [LoadedInput] = []
    for file in files {
      let input = LoadedInput.load(file, allowBinary: binary)
      for note in input.notes { reporter.warn(source: file, note) }
      if let error = input.error { reporter.report(error) }
      inputs.append(input)
    }
    let runs = inputs.flatMap(\.runs)
    switch format {
    case .text:
      try ReportOutput.withBuffer(to: output) { ReportTextRenderer().render(runs, into: &$0) }
    case .json:
      try ReportOutput.withBuffer(to: output) { ReportJSONRenderer().render(runs, into: &$0) }
    case .markdown:
      try ReportOutput.write(ReportMarkdownRenderer().render(ReportedRun.collect(inputs)), to: output)
    case .html:
      try ReportOutput.write(ReportHTMLRenderer().render(ReportedRun.collect(inputs)), to: output)
    }
    if reporter.failed { throw ExitCode(ExitStatus.inputError) }
    if let threshold = failOn.threshold, runs.contains(where: { $0.findings.contains { $0.severity >= threshold } }) {
      throw ExitCode(ExitStatus.findings)
    }
  }
}
