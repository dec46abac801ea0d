import Analysis
import Foundation
import LogParse
import Testing

@testable import diagnose

@Suite("Watching logs as they grow (in process)")
struct WatchTests {
  /// The 100 ms poll the latency tests use, and the bound they assert: an alert within a second
  /// of its line, with room for a loaded two-core machine.
  static let pollInterval = 0.1
  static let latencyBound = 1.0

  struct Observed {
    var alerts: [(alert: Alert, seenAt: Double)] = []
    var step = 0
  }

  /// Runs the scenario in a writer task while this thread polls a ``Watcher``.
  func followScenario(watch path: String, writer: WatchFixture.Writer) throws -> (
    observed: Observed, diagnoses: [RunDiagnosis], spikeWritten: Double
  ) {
    let watcher = Watcher(paths: [path], fromStart: false, now: AlertText.now())
    let shared = Shared(Observed())
    let done = Shared<Result<Double, any Error>?>(nil)
    let sendableWriter = UncheckedBox(writer)
    Thread.detachNewThread {
      let result = Result {
        try WatchScenario.write(sendableWriter.value) { step in
          // Bounded, so that a watcher that lost lines fails the test instead of hanging it.
          let deadline = Date().addingTimeInterval(10)
          while shared.read({ $0.step }) < step, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        }
      }
      done.update { $0 = result }
    }
    var finishedAt: Double?
    let deadline = AlertText.now() + 60
    while AlertText.now() < deadline {
      let alerts = watcher.poll(now: AlertText.now())
      let seen = AlertText.now()
      let step = watcher.runs.compactMap(\.step).max() ?? 0
      shared.update {
        $0.alerts += alerts.map { ($0, seen) }
        $0.step = step
      }
      if finishedAt == nil, done.read({ $0 != nil }) { finishedAt = seen }
      if let finishedAt, seen - finishedAt > 3 * Self.pollInterval { break }
      Thread.sleep(forTimeInterval: Self.pollInterval)
    }
    let diagnoses = watcher.finish(now: AlertText.now()).diagnoses.map(\.diagnosis)
    let spikeWritten = try #require(done.read { $0 }).get()
    return (shared.read { $0 }, diagnoses, spikeWritten)
  }

  /// What `report` finds in `url`: the same analysis, read in one go.
  static func report(_ url: URL) throws -> [RunDiagnosis] {
    var analyzer = RunAnalyzer(source: url.path)
    try InputLoader.load(url.path) { analyzer.add($0) }
    return analyzer.finish()
  }

  @Test("an alert appears within a second of its line, through partial lines, copytruncate, rotation and re-creation")
  func followsAndAlertsInTime() throws {
    let directory = try WatchFixture.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let writer = WatchFixture.Writer(url: directory.appendingPathComponent("train.log"))
    let (observed, diagnoses, written) = try followScenario(watch: writer.url.path, writer: writer)

    let spike = try #require(observed.alerts.first { $0.alert.finding.kind == .lossSpike })
    #expect(spike.alert.finding.step == WatchScenario.spikeStep)
    #expect(spike.alert.finding.severity == .critical)
    #expect(spike.alert.evidenceText?.hasPrefix("{'loss': ") == true)
    #expect(spike.seenAt - written < Self.latencyBound, "alert after \(spike.seenAt - written) s")
    #expect(spike.seenAt >= written)

    let concatenated = try writer.concatenated()
    defer { try? FileManager.default.removeItem(at: concatenated) }
    let expected = try Self.report(concatenated)
    #expect(diagnoses.map { Array($0.series.steps) } == expected.map { Array($0.series.steps) })
    #expect(diagnoses.first.map { Array($0.series.steps) } == Array(1...WatchScenario.lastStep))
    #expect(diagnoses.map { Array($0.series.losses) } == expected.map { Array($0.series.losses) })
    #expect(diagnoses.map(\.verdict) == expected.map(\.verdict))
    #expect(diagnoses.flatMap { $0.findings.map(\.kind) } == expected.flatMap { $0.findings.map(\.kind) })
  }

  @Test("a directory's new log is read from its start, and its rotated file is not read again")
  func directoryWatch() throws {
    let directory = try WatchFixture.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data(WatchFixture.lines(1...5).utf8).write(to: directory.appendingPathComponent("old.log"))
    let watcher = Watcher(paths: [directory.path], fromStart: false, now: 0)
    _ = watcher.poll(now: 1)
    let writer = WatchFixture.Writer(url: directory.appendingPathComponent("new-run.log"))
    try writer.append(WatchFixture.lines(1...10))
    _ = watcher.poll(now: 2)
    try writer.rotate(suffix: ".1")
    try writer.append(WatchFixture.lines(11...15))
    try writer.append("{'loss': 2.5")
    _ = watcher.poll(now: 3)
    _ = watcher.poll(now: 4)
    #expect(watcher.lastWrite == 3)
    let byName = Dictionary(grouping: watcher.runs) { URL(fileURLWithPath: $0.source).lastPathComponent }
    #expect(byName["new-run.log"]?.first?.step == 15)
    #expect(byName["new-run.log.1"] == nil)
    // old.log was there at the start: read to warm the detectors up, without alerts.
    #expect(byName["old.log"]?.first?.step == 5)
    #expect(
      watcher.logs.map { URL(fileURLWithPath: $0.source).lastPathComponent }.sorted() == ["new-run.log", "old.log"])
  }

  @Test("starting at the end, history warms the detectors up without alerts, and a spike right after is caught")
  func warmUpFromHistory() throws {
    let url = try DiagnoseProcess.temporaryFile(Array(WatchFixture.lines(1...59, spikeAt: 30).utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    let watcher = Watcher(paths: [url.path], fromStart: false, now: 0)
    #expect(watcher.poll(now: 1).isEmpty)
    #expect(watcher.runs.first?.step == 59)
    #expect(watcher.runs.first?.findingCounts[.init(kind: .lossSpike, severity: .critical)] == 1)
    let handle = try FileHandle(forWritingTo: url)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(WatchFixture.line(step: 60, spikeAt: 60).utf8))
    try handle.close()
    let alerts = watcher.poll(now: 2)
    #expect(alerts.map(\.finding.kind) == [.lossSpike])
    #expect(alerts.first?.finding.step == 60)
    #expect(alerts.first?.evidenceLine == 60)
    #expect(watcher.lastWrite == 2)
  }

  @Test("a replay alerts on the divergence, with the value as it was when raised")
  func replayAlerts() throws {
    let url = try DiagnoseProcess.temporaryFile(Array(WatchFixture.lines(1...100, divergeAfter: 60).utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    let watcher = Watcher(paths: [url.path], fromStart: true, now: 0)
    let alerts = watcher.poll(now: 1)
    let divergence = try #require(alerts.first { $0.finding.kind == .divergence })
    #expect(divergence.finding.severity == .critical)
    // Raised online, long before the replay's last step.
    #expect(divergence.finding.raisedAtStep < 80)
    #expect(divergence.finding.value.map { $0 < 10 } == true)
    #expect(watcher.runs.first?.verdict == .diverged)
    #expect(watcher.runs.first?.step == 100)
  }
}

/// Hands a non-Sendable value to one other thread, which alone uses it from then on.
struct UncheckedBox<Value>: @unchecked Sendable {
  // SAFETY: the creating thread stops using `value` once the box is handed over.
  let value: Value
  init(_ value: Value) { self.value = value }
}
