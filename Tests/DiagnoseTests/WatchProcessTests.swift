import Foundation
import Testing

/// `diagnose watch` as a real subprocess, its standard output read line by line as it comes.
final class WatchProcess: @unchecked Sendable {
  // SAFETY: `lines` is only touched with `lock` held; the process and pipes are set up in `init`
  // and read by one thread after.
  private let process = Process()
  private let lock = NSLock()
  private var lines: [(text: String, time: Double)] = []

  init(_ arguments: [String]) throws {
    process.executableURL = DiagnoseProcess.binary
    process.arguments = ["watch"] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    let handle = output.fileHandleForReading
    try process.run()
    let box = UncheckedBox(self)
    Thread.detachNewThread {
      var pending = Data()
      while true {
        let data = handle.availableData
        let time = Date().timeIntervalSince1970
        guard !data.isEmpty else { break }
        pending.append(data)
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
          let text = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
          pending.removeSubrange(pending.startIndex...newline)
          box.value.record(text, at: time)
        }
      }
    }
  }

  private func record(_ text: String, at time: Double) {
    lock.lock()
    lines.append((text, time))
    lock.unlock()
  }

  /// The lines so far, with the time each arrived.
  var output: [(text: String, time: Double)] {
    lock.lock()
    defer { lock.unlock() }
    return lines
  }

  /// Sends SIGINT, as Ctrl-C does.
  func interrupt() { process.interrupt() }

  /// Waits for the process to exit (killing it after `timeout` seconds) and returns its status.
  func wait(timeout: Double = 60) -> Int32 {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    // SIGKILL: the test runner's threads block most signals, and a child inherits that mask.
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    // Let the reader take the last bytes.
    Thread.sleep(forTimeInterval: 0.1)
    return process.terminationStatus
  }
}

@Suite("diagnose watch as a subprocess")
struct WatchProcessTests {
  /// The `diagnose_step` gauge of a metrics file, if written.
  static func stepInMetrics(_ url: URL) -> Int {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return 0 }
    return text.split(separator: "\n").filter { $0.hasPrefix("diagnose_step{") }
      .compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }.max() ?? 0
  }

  @Test(
    "a writer grows, cuts, rotates and re-creates a log: the alert comes within a second, the post-mortem equals report's"
  )
  func followsLikeReport() throws {
    let directory = try WatchFixture.temporaryDirectory()
    let metricsDirectory = try WatchFixture.temporaryDirectory()
    defer {
      try? FileManager.default.removeItem(at: directory)
      try? FileManager.default.removeItem(at: metricsDirectory)
    }
    let writer = WatchFixture.Writer(url: directory.appendingPathComponent("train.log"))
    let metrics = metricsDirectory.appendingPathComponent("watch.prom")
    let watch = try WatchProcess([
      "--poll-interval", "\(WatchTests.pollInterval)", "--until-idle", "2", "--metrics-file", metrics.path,
      writer.url.path,
    ])
    // The watcher starts at the end of what is there: the log must not exist before its first poll,
    // which writes the metrics file.
    let started = Date().addingTimeInterval(10)
    while !FileManager.default.fileExists(atPath: metrics.path), Date() < started {
      Thread.sleep(forTimeInterval: 0.02)
    }
    let written = try WatchScenario.write(writer) { step in
      let deadline = Date().addingTimeInterval(10)
      while Self.stepInMetrics(metrics) < step, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    }
    let status = watch.wait()
    let lines = watch.output
    // The spike is critical, so the post-mortem ends with status 1, as `report` would.
    #expect(status == 1)
    let spike = try #require(lines.first { $0.text.contains("CRITICAL loss_spike") })
    #expect(spike.text.contains("run 0 step \(WatchScenario.spikeStep) "))
    #expect(spike.time - written < WatchTests.latencyBound, "alert after \(spike.time - written) s")
    #expect(!lines.contains { $0.text.contains("\u{1B}") }, "no colour or status line when not a terminal")

    let concatenated = try writer.concatenated().path
    defer { try? FileManager.default.removeItem(atPath: concatenated) }
    let report = try DiagnoseProcess.run(["report", concatenated])
    let postMortem = lines.drop { $0.text != "post-mortem:" }.dropFirst().map(\.text)
    func comparable(_ lines: [String], source: String) -> [String] {
      lines.filter { !$0.contains("evidence:") }.map { $0.replacingOccurrences(of: source, with: "LOG") }
    }
    #expect(
      comparable(postMortem, source: writer.url.path)
        == comparable(report.lines.map(String.init), source: concatenated))
    #expect(postMortem.first?.hasSuffix("steps 1–\(WatchScenario.lastStep), \(WatchScenario.lastStep) logged") == true)
  }

  @Test("--exit-on critical exits 1 on a diverging replay")
  func exitOnCritical() throws {
    let url = try DiagnoseProcess.temporaryFile(Array(WatchFixture.lines(1...100, divergeAfter: 60).utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try DiagnoseProcess.run(["watch", "--from-start", "--exit-on", "critical", url.path])
    #expect(result.status == 1)
    #expect(result.lines.contains { $0.contains("CRITICAL divergence") })
    #expect(!result.stdout.contains("post-mortem"))
  }

  @Test("--until-idle exits 0 after the post-mortem of a healthy replay")
  func untilIdleHealthy() throws {
    let url = try DiagnoseProcess.temporaryFile(Array(WatchFixture.lines(1...100).utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    let result = try DiagnoseProcess.run(["watch", "--from-start", "--until-idle", "0.3", url.path])
    #expect(result.status == 0)
    #expect(result.lines.first == "post-mortem:")
    #expect(result.stdout.contains("steps 1–100, 100 logged"))
    #expect(result.stdout.contains("verdict: HEALTHY"))
  }

  @Test("Ctrl-C (SIGINT) ends the watch with the post-mortem of everything read")
  func interruptPrintsPostMortem() throws {
    let directory = try WatchFixture.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let log = directory.appendingPathComponent("train.log")
    try Data(WatchFixture.lines(1...40).utf8).write(to: log)
    let metrics = directory.appendingPathComponent("watch.prom")
    let watch = try WatchProcess(["--metrics-file", metrics.path, log.path])
    let deadline = Date().addingTimeInterval(10)
    while Self.stepInMetrics(metrics) < 40, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    watch.interrupt()
    #expect(watch.wait() == 0)
    let lines = watch.output.map(\.text)
    #expect(lines.contains("post-mortem:"))
    #expect(lines.contains { $0.hasSuffix("steps 1–40, 40 logged") })
  }

  @Test("--on-alert runs a command per alert with the details in DIAGNOSE_ALERT_* variables")
  func onAlert() throws {
    let url = try DiagnoseProcess.temporaryFile(Array(WatchFixture.lines(1...80, spikeAt: 60).utf8))
    let sink = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString).txt")
    defer {
      try? FileManager.default.removeItem(at: url)
      try? FileManager.default.removeItem(at: sink)
    }
    let command =
      "printf '%s|%s|%s|%s|%s|%s\\n' \"$DIAGNOSE_ALERT_KIND\" \"$DIAGNOSE_ALERT_SEVERITY\" \"$DIAGNOSE_ALERT_STEP\" "
      + "\"$DIAGNOSE_ALERT_LINE\" \"$DIAGNOSE_ALERT_SOURCE\" \"$DIAGNOSE_ALERT_EVIDENCE\" >> '\(sink.path)'"
    let result = try DiagnoseProcess.run([
      "watch", "--from-start", "--until-idle", "0.3", "--alert-on", "warning", "--on-alert", command, url.path,
    ])
    #expect(result.status == 1)
    let recorded = try String(contentsOf: sink, encoding: .utf8).split(separator: "\n")
    #expect(recorded.count == result.lines.filter { $0.contains(" CRITICAL ") || $0.contains(" WARNING ") }.count)
    let spike = try #require(recorded.first { $0.hasPrefix("loss_spike|") })
    #expect(spike.hasPrefix("loss_spike|critical|60|60|\(url.path)|{'loss': 26.3223"))
  }

  @Test("the metrics file has HELP and TYPE lines, escaped labels, and passes promtool when installed")
  func metricsFile() throws {
    let directory = try WatchFixture.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let log = directory.appendingPathComponent("we\"ird\\name.log")
    try Data(WatchFixture.lines(1...80, spikeAt: 60).utf8).write(to: log)
    let metrics = directory.appendingPathComponent("watch.prom")
    let result = try DiagnoseProcess.run([
      "watch", "--from-start", "--until-idle", "0.3", "--metrics-file", metrics.path, log.path,
    ])
    #expect(result.status == 1)
    let text = try String(contentsOf: metrics, encoding: .utf8)
    let escaped = log.path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    let labels = "source=\"\(escaped)\",run=\"0\""
    for line in [
      "# TYPE diagnose_step gauge", "diagnose_step{\(labels)} 80", "# TYPE diagnose_findings_total counter",
      "diagnose_findings_total{\(labels),kind=\"loss_spike\",severity=\"critical\"} 1",
      "diagnose_verdict{\(labels),verdict=\"unstable\"} 1", "diagnose_verdict{\(labels),verdict=\"healthy\"} 0",
    ] {
      #expect(text.split(separator: "\n").contains { $0 == line }, "missing: \(line)")
    }
    // Nothing but the metrics file is left beside it: the temporary file was renamed.
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        == [log.lastPathComponent, "watch.prom"].sorted())
    try Self.promtoolAccepts(metrics)
  }

  static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  static func promtoolAccepts(_ metrics: URL) throws {
    guard let promtool else { return }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: promtool)
    process.arguments = ["check", "metrics"]
    process.standardInput = try FileHandle(forReadingFrom: metrics)
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let message = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "promtool: \(message)")
  }
}
