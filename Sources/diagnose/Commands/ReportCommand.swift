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

      Settings are read from the log, from the DeepSpeed config it names (found beside it) and from \
      --config files (a DeepSpeed JSON, a launch script); they are reconciled and checked (total batch \
      = per-device × GAS × GPUs per node × nodes; DeepSpeed against the command line), and the \
      findings are attributed to them with concrete suggestions. --baseline OLD.log (a run that \
      behaved) or --reference-batch and --reference-lr give the batch and learning rate to compare \
      with.

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

  @Option(name: .customLong("config"), help: "A DeepSpeed JSON config or launch script that goes with every log.")
  var configs: [String] = []

  @Option(help: "Parser threads for a large regular file (default: every core). The report is the same.")
  var threads: Int?

  @OptionGroup var reference: ReferenceOptions

  @OptionGroup var progress: ProgressOptions

  func run() throws {
    MemoryPolicy.apply()
    var reporter = InputReporter()
    let reference = self.reference.load(&reporter)
    var runs: [RunAssessment] = []
    for file in files {
      var analyzer = RunAnalyzer(source: file, announcing: false)
      let threads = threads ?? ParallelScan.availableCores
      let inputs = RunInputs.read(
        file, configs: configs, allowBinary: binary, threads: threads, reporter: &reporter, progress: progress.enabled
      ) { event in
        analyzer.add(event)
      }
      // An input that could not be opened has no run to report; one cut short keeps what was read.
      if inputs.failed && !inputs.readAnything { continue }
      let diagnoses = analyzer.finish()
      if !inputs.failed, !diagnoses.contains(where: { $0.logged > 0 }) {
        StandardError.write("diagnose: \(FormatRegistry.noTrainingRecordsMessage(file))\n")
      }
      runs += diagnoses.map {
        RunAssessment(diagnosis: $0, table: inputs.table, errors: inputs.errors, reference: reference)
      }
    }
    switch format {
    case .text: try ReportOutput.withBuffer(to: output) { ReportTextRenderer().render(runs, into: &$0) }
    case .json: try ReportOutput.withBuffer(to: output) { ReportJSONRenderer().render(runs, into: &$0) }
    case .markdown: try ReportOutput.write(ReportMarkdownRenderer().render(ReportedRun.collect(runs)), to: output)
    case .html:
      try ReportOutput.withBuffer(to: output) { ReportHTMLRenderer().render(ReportedRun.collect(runs), into: &$0) }
    }
    if reporter.failed { throw ExitCode(ExitStatus.inputError) }
    if let threshold = failOn.threshold,
      runs.contains(where: { $0.diagnosis.findings.contains { $0.severity >= threshold } })
    {
      throw ExitCode(ExitStatus.findings)
    }
  }
}
