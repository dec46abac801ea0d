import Analysis
import ArgumentParser
import Foundation
import LogParse

/// `diagnose nightly`: one page every morning for every run under some folders.
struct NightlyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "nightly",
    abstract: "Report on every run under some folders: one HTML page, worst runs first.",
    discussion: """
      Finds the runs under the folders (console logs, trainer_state.json, HF output folders with \
      checkpoint-N/, LLaMA-Factory trainer_log.jsonl), reads them in parallel on all cores, and \
      writes one self-contained HTML page: a table of runs (verdict, first bad step, total batch, \
      learning rate, finding counts, a loss sparkline) linking to a section per run. Weights, \
      archives, configs, launch scripts and files that are empty, binary or unreadable are listed \
      as skipped with the reason.

      --json writes the diagnose.report/1 contract plus a "summary" object; --previous reads last \
      night's --json and marks what is new (a new run, a verdict that got worse, a new finding).

      Exit status: 0 when no finding reaches --fail-on; 1 when one does; 2 for a usage error, a \
      folder that does not exist, or an output that cannot be written. Skipped files do not change it.
      """
  )

  @Argument(help: "Folders (or files) to look for runs in.")
  var folders: [String]

  @Option(help: "The HTML page to write.")
  var output: String

  @Option(help: "Also write the report JSON with a summary to this file.")
  var json: String?

  @Option(help: "Last night's --json file: mark what is new since.")
  var previous: String?

  @Option(help: "Exit with status 1 when a finding reaches this severity: info, warning, critical or never.")
  var failOn: ReportCommand.FailOn = .critical

  func run() throws {
    let discovery = RunDiscovery(folders)
    for path in discovery.missing { StandardError.write("diagnose: \(path): no such file or folder\n") }
    var previousSummary: PreviousSummary?
    if let previous {
      do {
        previousSummary = try PreviousSummary(contentsOf: previous)
      } catch {
        StandardError.write("diagnose: \(previous): cannot read the previous summary: \(error.localizedDescription)\n")
        throw ExitCode(ExitStatus.inputError)
      }
    }
    let analysis = NightlyAnalysis(discovery.inputs)
    for warning in analysis.warnings { StandardError.write(warning) }
    let skipped = discovery.skipped + analysis.skipped
    for item in skipped { StandardError.write("diagnose: skipped \(item.path): \(item.reason)\n") }
    let report = NightlyReport(runs: analysis.runs, skipped: skipped, previous: previousSummary)
    try ReportOutput.write(NightlyHTMLRenderer().render(report), to: output)
    if let json { try writeJSON(report, to: json) }
    if !discovery.missing.isEmpty { throw ExitCode(ExitStatus.inputError) }
    let runs = report.runs.map(\.diagnosis)
    if let threshold = failOn.threshold, runs.contains(where: { $0.findings.contains { $0.severity >= threshold } }) {
      throw ExitCode(ExitStatus.findings)
    }
  }

  private func writeJSON(_ report: NightlyReport, to path: String) throws {
    var renderer = ReportJSONRenderer()
    renderer.summary = report.summaryJSON
    let runs = report.runs.map(\.assessment)
    try ReportOutput.withBuffer(to: path) { renderer.render(runs, into: &$0) }
  }
}
