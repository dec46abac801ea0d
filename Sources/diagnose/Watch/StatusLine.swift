import Analysis

/// The line a terminal shows under the alerts: per log, the latest step, loss, grad-norm, lr and
/// the verdict so far. It is redrawn in place (`\r` and erase-line), so it is only drawn on a terminal.
struct StatusLine {
  var color = false

  func text(_ runs: [LiveRun], width: Int = 160) -> String {
    // The latest run of each source.
    var latest: [LiveRun] = []
    for run in runs {
      if let index = latest.firstIndex(where: { $0.source == run.source }) {
        if run.run >= latest[index].run { latest[index] = run }
      } else {
        latest.append(run)
      }
    }
    guard !latest.isEmpty else { return "watching: no training step yet" }
    let parts = latest.map { run -> String in
      var text = "\(Self.name(run.source))"
      if let step = run.step { text += " step \(step)" }
      if let loss = run.loss { text += " loss \(TextNumber.short(loss))" }
      if let gradNorm = run.gradNorm { text += " grad_norm \(TextNumber.short(gradNorm))" }
      if let learningRate = run.learningRate { text += " lr \(learningRate)" }
      return text + " " + verdict(run.verdict)
    }
    let joined = parts.joined(separator: " · ")
    return joined.count > width ? String(joined.prefix(width - 1)) + "…" : joined
  }

  private func verdict(_ verdict: Verdict) -> String {
    let name = verdict.rawValue.uppercased()
    guard color else { return "[\(name)]" }
    let code =
      switch verdict {
      case .healthy: "32"
      case .unstable: "33"
      case .diverged: "1;31"
      case .noData: "2"
      }
    return "[\u{1B}[\(code)m\(name)\u{1B}[0m]"
  }

  /// The file name without its directories: the status line is short.
  private static func name(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }
}
