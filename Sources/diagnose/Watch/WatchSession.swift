import Analysis
import LogParse

#if canImport(Glibc)
  import Glibc
#endif

/// Set by SIGINT or SIGTERM: the poll loop ends with the post-mortem.
nonisolated(unsafe) private var stopRequested: sig_atomic_t = 0

/// The poll loop of `diagnose watch`: alerts, the status line, `--on-alert`, the metrics file and
/// the exit conditions around a ``Watcher``.
struct WatchSession {
  let watcher: Watcher
  /// Standard output is a terminal: draw the status line.
  let interactive: Bool
  let alertOn: Severity
  var onAlert: AlertCommand?
  let metricsFile: String?
  private let text: AlertText
  private let status: StatusLine
  private var shownStatus = ""
  private var writtenMetrics: String?
  private var metricsFailed = false

  init(watcher: Watcher, interactive: Bool, alertOn: Severity, onAlert: AlertCommand?, metricsFile: String?) {
    self.watcher = watcher
    self.interactive = interactive
    self.alertOn = alertOn
    self.onAlert = onAlert
    self.metricsFile = metricsFile
    // https://no-color.org: any non-empty NO_COLOR turns colour off.
    let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
    text = AlertText(color: interactive && !noColor)
    status = StatusLine(color: interactive && !noColor)
    watcher.onNote = { source, note in InputReporter().warn(source: source, note) }
  }

  /// Polls until an exit condition holds; returns the exit status.
  mutating func run(pollInterval: Double, exitOn: Severity?, untilIdle: Double?) -> Int32 {
    var first = true
    Self.stopOnSignals()
    while true {
      let now = AlertText.now()
      let alerts = watcher.poll(now: now)
      // An idle poll changes nothing shown: skip rendering, so idle costs only the polling itself.
      if first || watcher.lastWrite == now || !alerts.isEmpty { publish(alerts) }
      first = false
      if let exitOn, alerts.contains(where: { $0.finding.severity >= exitOn }) {
        finishOutput()
        return ExitStatus.findings
      }
      if let untilIdle, now - watcher.lastWrite >= untilIdle {
        return postMortem()
      }
      if stopRequested != 0 { return postMortem() }
      onAlert?.reap()
      Self.sleep(seconds: pollInterval)
    }
  }

  private mutating func publish(_ alerts: [Alert]) {
    let shown = alerts.filter { $0.finding.severity >= alertOn }
    if !shown.isEmpty {
      var output = interactive && !shownStatus.isEmpty ? "\r\u{1B}[K" : ""
      for alert in shown { output += text.line(alert) + "\n" }
      Self.writeOut(output)
      shownStatus = ""
      for alert in shown { onAlert?.run(alert) }
    }
    let runs = watcher.runs
    if let metricsFile {
      let metrics = PrometheusTextfile().render(runs)
      if metrics != writtenMetrics {
        if PrometheusTextfile.write(metrics, to: metricsFile) {
          writtenMetrics = metrics
          metricsFailed = false
        } else if !metricsFailed {
          metricsFailed = true
          StandardError.write(
            "diagnose: cannot write the metrics file \(metricsFile): \(String(cString: strerror(errno)))\n")
        }
      }
    }
    if interactive {
      let line = status.text(runs)
      if line != shownStatus {
        Self.writeOut("\r\u{1B}[K" + line)
        shownStatus = line
      }
    }
  }

  /// Reads every log to its end, prints the last alerts and the post-mortem (as `report` does).
  private mutating func postMortem() -> Int32 {
    let (alerts, diagnoses) = watcher.finish(now: AlertText.now())
    publish(alerts)
    finishOutput()
    Self.writeOut("\npost-mortem:\n")
    var output = OutputBuffer()
    ReportTextRenderer().render(diagnoses, into: &output)
    let critical = diagnoses.contains { $0.diagnosis.findings.contains { $0.severity == .critical } }
    return critical ? ExitStatus.findings : ExitStatus.success
  }

  /// Ends the status line and waits for alert commands still running.
  private mutating func finishOutput() {
    if interactive, !shownStatus.isEmpty { Self.writeOut("\n") }
    shownStatus = ""
    onAlert?.waitForAll()
  }

  static func sleep(seconds: Double) {
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0, errno == EINTR, stopRequested == 0 { request = remaining }
  }

  /// The first SIGINT (Ctrl-C) or SIGTERM ends the watch with the post-mortem; a second one, the
  /// default action, ends it at once.
  private static func stopOnSignals() {
    // A parent may have left them blocked (the mask is inherited across exec).
    var unblock = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, SIGINT)
    sigaddset(&unblock, SIGTERM)
    sigprocmask(SIG_UNBLOCK, &unblock, nil)
    for signalNumber in [SIGINT, SIGTERM] {
      signal(signalNumber) { received in
        stopRequested = 1
        signal(received, SIG_DFL)
      }
    }
  }

  static func writeOut(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      var written = 0
      while written < bytes.count {
        // SAFETY: the range stays within `bytes`, valid for the closure.
        let result = Glibc.write(STDOUT_FILENO, bytes.baseAddress! + written, bytes.count - written)
        if result < 0, errno == EINTR { continue }
        if result <= 0 { break }
        written += result
      }
    }
  }
}
