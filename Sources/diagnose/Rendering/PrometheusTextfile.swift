import Analysis

#if canImport(Glibc)
  import Glibc
#endif

/// The Prometheus text exposition of the watched runs, for node_exporter's textfile collector.
///
/// Per run (labels `source`, `run`): gauges `diagnose_step`, `diagnose_loss`, `diagnose_grad_norm`,
/// `diagnose_learning_rate`, `diagnose_loss_scale` (a value never logged is left out), the verdict
/// as a state set (`diagnose_verdict{verdict="…"}` is 1 for the current one, 0 for the others), and
/// the counter `diagnose_findings_total` by `kind` and `severity`.
///
/// ```
/// # HELP diagnose_loss Latest training loss logged.
/// # TYPE diagnose_loss gauge
/// diagnose_loss{source="/runs/a/train.log",run="0"} 2.07
/// ```
struct PrometheusTextfile {
  private struct Gauge: Sendable {
    var name: String
    var help: String
    var value: @Sendable (LiveRun) -> Double?
  }

  private static let gauges: [Gauge] = [
    Gauge(name: "diagnose_step", help: "Latest training step read.", value: { $0.step.map(Double.init) }),
    Gauge(name: "diagnose_loss", help: "Latest training loss logged.", value: { $0.loss }),
    Gauge(name: "diagnose_grad_norm", help: "Latest gradient norm logged.", value: { $0.gradNorm }),
    Gauge(name: "diagnose_learning_rate", help: "Latest learning rate logged.", value: { $0.learningRate }),
    Gauge(name: "diagnose_loss_scale", help: "Latest fp16 loss scale logged.", value: { $0.lossScale }),
  ]

  private static let verdicts: [Verdict] = [.healthy, .unstable, .diverged, .noData]

  func render(_ runs: [LiveRun]) -> String {
    var text = ""
    for gauge in Self.gauges {
      text += "# HELP \(gauge.name) \(gauge.help)\n# TYPE \(gauge.name) gauge\n"
      for run in runs {
        guard let value = gauge.value(run) else { continue }
        text += "\(gauge.name){\(labels(run))} \(Self.number(value))\n"
      }
    }
    text += "# HELP diagnose_verdict Verdict of the run so far: 1 for the current one, 0 for the others.\n"
    text += "# TYPE diagnose_verdict gauge\n"
    for run in runs {
      for verdict in Self.verdicts {
        let current = verdict == run.verdict ? 1 : 0
        text += "diagnose_verdict{\(labels(run)),verdict=\"\(verdict.rawValue)\"} \(current)\n"
      }
    }
    text += "# HELP diagnose_findings_total Findings raised so far, by kind and severity.\n"
    text += "# TYPE diagnose_findings_total counter\n"
    for run in runs {
      for (key, count) in run.findingCounts.sorted(by: { $0.key < $1.key }) {
        text += "diagnose_findings_total{\(labels(run)),kind=\"\(key.kind.rawValue)\","
        text += "severity=\"\(key.severity.rawValue)\"} \(count)\n"
      }
    }
    return text
  }

  private func labels(_ run: LiveRun) -> String {
    "source=\"\(Self.escape(run.source))\",run=\"\(run.run)\""
  }

  /// Label values escape `\`, `"` and line feeds (the exposition format's only escapes).
  static func escape(_ value: String) -> String {
    var escaped = ""
    for character in value {
      switch character {
      case "\\": escaped += "\\\\"
      case "\"": escaped += "\\\""
      case "\n": escaped += "\\n"
      default: escaped.append(character)
      }
    }
    return escaped
  }

  /// Go's float syntax, which Prometheus parses: `NaN`, `+Inf`, `-Inf`, or a decimal.
  static func number(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  /// Writes `text` to a temporary file beside `path` and renames it over `path`, so a scrape
  /// never reads half a file. The temporary name starts with a dot and does not end in `.prom`,
  /// so the collector never reads it either.
  static func write(_ text: String, to path: String) -> Bool {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(getpid()).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return false }
    var complete = true
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buffer in
      var written = 0
      while written < buffer.count {
        // SAFETY: the range stays within `buffer`, which lives for the closure.
        let result = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
        if result < 0, errno == EINTR { continue }
        guard result > 0 else {
          complete = false
          break
        }
        written += result
      }
    }
    close(descriptor)
    guard complete, rename(temporary, path) == 0 else {
      unlink(temporary)
      return false
    }
    return true
  }
}
