import Analysis

#if canImport(Glibc)
  import Glibc
#endif

/// Runs `--on-alert CMD` once per alert through `/bin/sh -c`, with the alert in environment variables.
///
/// The command runs beside the watcher, which does not wait for it (a slow webhook must not delay
/// the next alert); finished commands are reaped at each poll, and ``waitForAll()`` waits for the
/// rest before the watcher exits. The variables (README, `diagnose watch --help`):
/// `DIAGNOSE_ALERT_TEXT` (the printed line), `_TIME`, `_SOURCE`, `_RUN`, `_STEP`, `_END_STEP`,
/// `_KIND`, `_SEVERITY`, `_METRIC`, `_VALUE`, `_BASELINE`, `_SCORE`, `_MESSAGE`, `_LINE`, `_EVIDENCE`
/// (each `DIAGNOSE_ALERT_…`; a value the finding does not have is set to the empty string).
struct AlertCommand {
  let command: String
  private var running: [pid_t] = []

  init(command: String) {
    self.command = command
  }

  static func environment(_ alert: Alert) -> [(String, String)] {
    let finding = alert.finding
    func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
    return [
      ("TEXT", AlertText().line(alert)),
      ("TIME", AlertText.timestamp(alert.time)),
      ("SOURCE", alert.source),
      ("RUN", "\(alert.run)"),
      ("STEP", "\(finding.step)"),
      ("END_STEP", "\(finding.endStep)"),
      ("KIND", finding.kind.rawValue),
      ("SEVERITY", finding.severity.rawValue),
      ("METRIC", finding.metric),
      ("VALUE", number(finding.value)),
      ("BASELINE", number(finding.baseline)),
      ("SCORE", number(finding.score)),
      ("MESSAGE", finding.message),
      ("LINE", alert.evidenceLine.map { "\($0)" } ?? ""),
      ("EVIDENCE", alert.evidenceText.map(AlertText.printable) ?? ""),
    ].map { ("DIAGNOSE_ALERT_" + $0.0, $0.1) }
  }

  /// Starts the command for `alert`; returns false (and says why on standard error) if it could not start.
  @discardableResult
  mutating func run(_ alert: Alert) -> Bool {
    var entries = Self.environment(alert).map { "\($0.0)=\($0.1)" }
    let ours = Set(entries.map { $0.prefix { $0 != "=" } })
    var pointer = environ
    while let entry = pointer.pointee {
      let text = String(cString: entry)
      if !ours.contains(text.prefix { $0 != "=" }) { entries.append(text) }
      pointer += 1
    }
    let arguments = ["/bin/sh", "-c", command]
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    var envp: [UnsafeMutablePointer<CChar>?] = entries.map { strdup($0) } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    // The command starts with no signal blocked, whatever mask the watcher inherited.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
    // SAFETY: argv and envp are NUL-terminated arrays of strdup'ed C strings that live until the
    // deferred frees, after posix_spawn has copied them into the child.
    let status = posix_spawn(&pid, "/bin/sh", nil, &attributes, &argv, &envp)
    guard status == 0 else {
      StandardError.write("diagnose: --on-alert: could not start /bin/sh: \(String(cString: strerror(status)))\n")
      return false
    }
    running.append(pid)
    return true
  }

  /// Reaps commands that have finished, without waiting.
  mutating func reap() {
    running.removeAll { pid in
      var status: Int32 = 0
      return waitpid(pid, &status, WNOHANG) != 0
    }
  }

  /// Waits for every command still running.
  mutating func waitForAll() {
    for pid in running {
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    }
    running.removeAll()
  }
}
