import Analysis

#if canImport(Glibc)
  import Glibc
#endif

/// The one-line form of an alert, and the UTC timestamps it starts with.
///
/// ```
/// 2026-11-29T18:31:07Z train.log run 0 step 120 CRITICAL loss_spike loss 21.4 vs 2.07 (z 31.2): … | line 125: {'loss': 21.4, …}
/// ```
struct AlertText {
  /// Whether to colour the severity (a terminal, and `NO_COLOR` unset).
  var color = false

  func line(_ alert: Alert) -> String {
    let finding = alert.finding
    var text = "\(Self.timestamp(alert.time)) \(alert.source) run \(alert.run) step \(finding.step) "
    text += severity(finding.severity) + " \(finding.kind.rawValue) \(finding.metric)"
    if let value = finding.value { text += " \(TextNumber.short(value))" }
    if let baseline = finding.baseline { text += " vs \(TextNumber.short(baseline))" }
    if let score = finding.score, score.isFinite { text += " (score \(TextNumber.short(score)))" }
    text += ": \(finding.message)"
    if let line = alert.evidenceLine {
      text += " | line \(line)"
      if let evidence = alert.evidenceText { text += ": " + Self.printable(evidence) }
    }
    return text
  }

  private func severity(_ severity: Severity) -> String {
    let name = severity.rawValue.uppercased()
    guard color else { return name }
    let code =
      switch severity {
      case .critical: "1;31"
      case .warning: "33"
      case .info: "36"
      }
    return "\u{1B}[\(code)m\(name)\u{1B}[0m"
  }

  /// A log line made safe for one terminal line: control characters (ANSI codes, `\r`) become spaces.
  static func printable(_ text: String) -> String {
    String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
  }

  /// `2026-11-29T18:31:07Z` for seconds since the epoch.
  static func timestamp(_ time: Double) -> String {
    var seconds = time_t(time.rounded(.down))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
      + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
  }

  /// Seconds since the epoch, from the real-time clock.
  static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }
}
