import Analysis
import ArgumentParser
import LogParse

#if canImport(Glibc)
  import Glibc
#endif

/// `diagnose watch`: follows running jobs' logs and raises alerts as the detectors fire.
struct WatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Follow training logs as they grow and raise an alert the moment a detector fires.",
    discussion: """
      Follows each FILE (which may not exist yet) and every log file that appears in each DIR, by \
      polling, so it works on NFS and Lustre. It survives truncation in place (copytruncate), \
      rotation (the old file is read to its end, then the new one from its start), deletion and \
      re-creation, and never parses half a line. The findings come from the same detectors as \
      `diagnose report`, fed one record at a time.

      Each alert is one line on standard output: UTC time, source, run, step, severity, kind, \
      metric, value vs baseline (and score), message, and the evidence line. On a terminal a \
      status line below shows each log's latest step, loss, grad_norm, lr and verdict (colour \
      unless NO_COLOR is set); there is no status line when the output is not a terminal.

      --on-alert CMD runs `/bin/sh -c CMD` per alert with DIAGNOSE_ALERT_TEXT (the printed line), \
      DIAGNOSE_ALERT_TIME, _SOURCE, _RUN, _STEP, _END_STEP, _KIND, _SEVERITY, _METRIC, _VALUE, \
      _BASELINE, _SCORE, _MESSAGE, _LINE and _EVIDENCE (all DIAGNOSE_ALERT_…; empty when unknown).

      --metrics-file PATH writes the Prometheus text format for node_exporter's textfile collector \
      (a temporary file renamed over PATH, so a scrape never sees half of it).

      Exit status: 1 at the first finding that reaches --exit-on; with --until-idle, after the \
      post-mortem, 1 if a finding in it is critical and 0 otherwise; 2 for a usage error. Without \
      either it runs until interrupted: SIGINT (Ctrl-C) or SIGTERM prints the post-mortem and \
      exits with the --until-idle statuses.
      """
  )

  enum Level: String, ExpressibleByArgument, CaseIterable {
    case info, warning, critical

    var severity: Severity {
      switch self {
      case .info: .info
      case .warning: .warning
      case .critical: .critical
      }
    }
  }

  @Argument(help: "Log files to follow (they may not exist yet) and directories to watch for new logs.")
  var paths: [String]

  @Flag(
    help: """
      Alert on what the files already hold (a replay). By default that is read without alerts, to \
      warm the detectors up, and only new lines raise alerts.
      """)
  var fromStart = false

  @Option(help: "Seconds between polls.")
  var pollInterval: Double = WatchCommand.defaultPollInterval

  @Option(help: "Alert only on findings of at least this severity: info, warning or critical.")
  var alertOn: Level = .info

  @Option(help: "Run this shell command per alert, with the alert in DIAGNOSE_ALERT_* variables.")
  var onAlert: String?

  @Option(help: "Exit with status 1 at the first finding of at least this severity: info, warning or critical.")
  var exitOn: Level?

  @Option(help: "Exit when no log grew for this many seconds, after printing the post-mortem.")
  var untilIdle: Double?

  @Option(help: "Write Prometheus metrics to this file (node_exporter textfile collector).")
  var metricsFile: String?

  /// Four polls a second: an alert reaches the user well within a second of its line, and an idle
  /// watcher still does next to nothing (a `stat` per file per poll).
  static let defaultPollInterval = 0.25

  func validate() throws {
    guard pollInterval > 0, pollInterval <= 60 else {
      throw ValidationError("--poll-interval must be more than 0 and at most 60 seconds")
    }
    if let untilIdle, !(untilIdle > 0) { throw ValidationError("--until-idle must be more than 0 seconds") }
  }

  func run() throws {
    var session = WatchSession(
      watcher: Watcher(paths: paths, fromStart: fromStart, now: AlertText.now()),
      interactive: isatty(STDOUT_FILENO) == 1,
      alertOn: alertOn.severity, onAlert: onAlert.map(AlertCommand.init), metricsFile: metricsFile)
    let status = session.run(pollInterval: pollInterval, exitOn: exitOn?.severity, untilIdle: untilIdle)
    if status != ExitStatus.success { throw ExitCode(status) }
  }
}
