import Analysis
import ArgumentParser
import Foundation
import Testing

@testable import diagnose

@Suite("Watch alert lines, status line and metrics text")
struct WatchRenderingTests {
  static let alert = Alert(
    time: 1_800_000_000, source: "runs/a.log", run: 1,
    finding: Finding(
      kind: .lossSpike, severity: .critical, metric: "loss", step: 60, value: 26.32, baseline: 2.752, score: 112.9,
      message: "loss 26.32 is 9.6× the trailing median 2.752"),
    evidenceLine: 61, evidenceText: "\u{1B}[32m{'loss': 26.3223}\r")

  @Test(
    "an alert line carries time, source, run, step, kind, severity, value vs baseline and a printable evidence line")
  func alertLine() {
    let line = AlertText().line(Self.alert)
    #expect(
      line == "2027-01-15T08:00:00Z runs/a.log run 1 step 60 CRITICAL loss_spike loss 26.32 vs 2.752 (score 112.9): "
        + "loss 26.32 is 9.6× the trailing median 2.752 | line 61:  [32m{'loss': 26.3223} ")
    #expect(AlertText(color: true).line(Self.alert).contains("\u{1B}[1;31mCRITICAL\u{1B}[0m"))
  }

  @Test("the status line shows each log's latest run, coloured only when asked")
  func statusLine() {
    var first = LiveRun(source: "/x/a.log", run: 0)
    first.step = 10
    var second = LiveRun(source: "/x/a.log", run: 1)
    second.step = 5
    second.loss = 2.5
    second.gradNorm = 0.75
    second.learningRate = 1e-4
    second.verdict = .healthy
    #expect(StatusLine().text([first, second]) == "a.log step 5 loss 2.5 grad_norm 0.75 lr 0.0001 [HEALTHY]")
    #expect(StatusLine(color: true).text([second]).contains("\u{1B}[32mHEALTHY"))
    #expect(StatusLine().text([]) == "watching: no training step yet")
  }

  @Test("every DIAGNOSE_ALERT_* variable is documented in the README and the command's help")
  func variablesDocumented() throws {
    let readme = try String(
      contentsOf: DiagnoseProcess.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let help = WatchCommand.configuration.discussion
    for (name, _) in AlertCommand.environment(Self.alert) {
      let suffix = "_" + name.dropFirst("DIAGNOSE_ALERT_".count)
      #expect(readme.contains("`\(suffix)`") || readme.contains("`\(name)`"), "README lacks \(name)")
      #expect(help.contains(suffix), "--help lacks \(name)")
    }
  }

  @Test("metrics values use Prometheus's float syntax and label values are escaped")
  func metricsSyntax() {
    #expect(PrometheusTextfile.number(.nan) == "NaN")
    #expect(PrometheusTextfile.number(-.infinity) == "-Inf")
    #expect(PrometheusTextfile.number(65536) == "65536")
    #expect(PrometheusTextfile.number(1e-4) == "0.0001")
    #expect(PrometheusTextfile.escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd")
    var run = LiveRun(source: "a.log", run: 0)
    run.loss = .nan
    let text = PrometheusTextfile().render([run])
    #expect(text.contains("diagnose_loss{source=\"a.log\",run=\"0\"} NaN\n"))
    #expect(!text.contains("diagnose_step{"))
  }
}
