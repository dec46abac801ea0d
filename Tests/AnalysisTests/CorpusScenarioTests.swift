import Foundation
import LogParse
import Testing

@testable import Analysis

/// The corpus cases whose formats other parsers own (DeepSpeed overflow lines, Megatron iteration
/// lines): checked at the event level now, and end to end as soon as the parser reads the file
/// (each end-to-end check enables itself when the scan yields the events it needs).
@Suite("fp16 and Megatron scenarios")
struct CorpusScenarioTests {
  static func at(_ line: Int) -> LogParse.SourceLocation {
    LogParse.SourceLocation(line: line, offset: Int64(line * 100))
  }

  static func overflow(_ line: Int, _ attempted: Double, _ new: Double) -> LogEvent {
    .overflow(OverflowEvent(location: at(line), kind: .reduced, attemptedScale: attempted, newScale: new))
  }

  static func hfStep(_ line: Int, loss: Double, lr: Double, epoch: Double) -> LogEvent {
    .trainingStep(
      TrainingStep(location: at(line), format: .huggingFaceDict, epoch: epoch, loss: loss, learningRate: lr))
  }

  static func diagnose(_ events: [LogEvent], source: String = "log") -> [RunDiagnosis] {
    var analyzer = RunAnalyzer(source: source)
    for event in events { analyzer.add(event) }
    return analyzer.finish()
  }

  static func scan(_ path: String) throws -> [LogEvent] {
    var events: [LogEvent] = []
    _ = try LogScanner.scanFile(path) { events.append($0) }
    return events
  }

  /// corpus/public/12, as events: two HF dicts, then the scale halving 64 → 2 late in the run.
  static let corpus12: [LogEvent] = [
    hfStep(13, loss: 1.6747, lr: 1.956e-4, epoch: 0.1),
    overflow(26, 64, 32), overflow(28, 32, 16),
    hfStep(32, loss: 2.0491, lr: 1.962e-4, epoch: 0.28),
    overflow(34, 16, 8), overflow(36, 8, 4), overflow(38, 4, 2),
  ]

  /// corpus/public/24, as events: the start-up search from 2^32, six halvings, no step yet.
  static let corpus24: [LogEvent] = (0..<6).map { index in
    let attempted = Double(UInt64(1) << (32 - index))
    return overflow(2 + index, attempted, attempted / 2)
  }

  static func checkCollapse(_ runs: [RunDiagnosis]) {
    let run = runs.first
    #expect(run?.verdict == .diverged)
    let findings = run?.findings ?? []
    let collapse = findings.first { $0.kind == .lossScaleCollapse }
    #expect(collapse?.severity == .critical)
    #expect(collapse?.value == 2)
    #expect(findings.contains { $0.kind == .overflowStorm && $0.severity >= .warning })
  }

  @Test("late halvings down to 2 (corpus 12) are a critical loss-scale collapse and an overflow storm")
  func lateCollapse() throws {
    Self.checkCollapse(Self.diagnose(Self.corpus12))
    if let file = SharedCorpus.root?.appendingPathComponent(
      "public/12-chinese-llama-alpaca-534-overflow-to-min-scale-tqdm.log"),
      FileManager.default.fileExists(atPath: file.path)
    {
      let events = try Self.scan(file.path)
      let overflows = events.filter { if case .overflow = $0 { true } else { false } }
      // End to end once the DeepSpeed overflow lines are parsed (issue 4).
      if !overflows.isEmpty { Self.checkCollapse(Self.diagnose(events)) }
    }
  }

  @Test("the start-up halving run from 2^32 (corpus 24) raises nothing")
  func benignStartup() throws {
    var runs = Self.diagnose(Self.corpus24)
    #expect(runs.flatMap(\.findings).isEmpty)
    #expect(runs.first?.verdict == .noData)
    // The same run followed by healthy training stays healthy.
    let healthy = ExampleLog(steps: 300, seed: 24).events
    runs = Self.diagnose(
      Self.corpus24
        + healthy.map { event in
          guard case .trainingStep(var step) = event else { return event }
          step.location.line += 10
          return .trainingStep(step)
        })
    #expect(runs.first?.verdict == .healthy)
    #expect(runs.flatMap(\.findings).filter { $0.severity > .info }.isEmpty)
    if let file = SharedCorpus.root?.appendingPathComponent("public/24-cogvideo-233-overflow-from-2pow32.log"),
      FileManager.default.fileExists(atPath: file.path)
    {
      let events = try Self.scan(file.path)
      #expect(Self.diagnose(events).flatMap(\.findings).isEmpty)
    }
  }

  /// A Megatron run (log interval 10) that slowly diverges from iteration 2000, 104B-style.
  static let megatronLog: ExampleLog = {
    var log = ExampleLog(steps: 3000, seed: 104, noise: 0.02, injections: [.divergence(step: 2000, logSlope: 0.002)])
    log.megatron = true
    log.loggingSteps = 10
    log.decaySteps = 600
    log.start = 7
    log.floor = 3.2
    log.lossScale = 65536
    return log
  }()

  /// Megatron's iteration line for a step event (log-formats.md §3).
  static func megatronLine(_ step: TrainingStep, total: Int) -> String {
    func e(_ value: Double) -> String { String(format: "%.6E", value) }
    let iteration = String(step.step!)
    var line = " iteration " + String(repeating: " ", count: max(0, 8 - iteration.count)) + iteration + "/"
    line += String(repeating: " ", count: max(0, 8 - String(total).count)) + "\(total) |"
    line += " consumed samples: \(step.step! * 512) | elapsed time per iteration (ms): 1234.5 |"
    line += " learning rate: \(e(step.learningRate ?? 0)) | global batch size:   512 |"
    if let loss = step.loss { line += " lm loss: \(e(loss)) |" }
    line +=
      " loss scale: \(step.lossScale ?? 1) | grad norm: \(step.gradNorm.map { $0.isNaN ? "nan" : String(format: "%.3f", $0) } ?? "nan") |"
    line += " number of skipped iterations:   0 | number of nan iterations:   \(step.nanIterations ?? 0) |"
    return line
  }

  static func checkMegatron(_ runs: [RunDiagnosis]) {
    let run = runs.first
    #expect(run?.verdict == .diverged)
    let divergence = run?.findings.first { $0.kind == .divergence }
    #expect(divergence?.severity == .critical)
    #expect(abs((run?.firstBadStep ?? 0) - 2000) <= 10, "first bad step \(String(describing: run?.firstBadStep))")
    #expect(!(run?.findings.contains { $0.kind == .lossScaleCollapse } ?? true))
  }

  @Test("a slow Megatron divergence (04-style) is found within one logged step of its onset")
  func megatronDivergence() throws {
    let events = Self.megatronLog.events
    Self.checkMegatron(Self.diagnose(events))
    // The same run as Megatron text: end to end once the Megatron parser reads it (issue 4).
    let text =
      events.compactMap { event -> String? in
        guard case .trainingStep(let step) = event else { return nil }
        return Self.megatronLine(step, total: 3000)
      }.joined(separator: "\n") + "\n"
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("megatron-\(UUID().uuidString).log")
    try Data(text.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    if ProcessInfo.processInfo.environment["DIAGNOSE_RECORD_FIXTURES"] != nil {
      let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/megatron-slow-divergence.log")
      try Data(text.utf8).write(to: fixture)
    }
    let scanned = try Self.scan(url.path)
    if scanned.contains(where: { if case .trainingStep = $0 { true } else { false } }) {
      Self.checkMegatron(Self.diagnose(scanned))
    }
  }

  @Test("DeepSpeed's cumulative skipped= growing late is a skipped_steps warning; early growth is not")
  func deepSpeedSkipped() {
    func line(_ index: Int, step: Int, skipped: Int) -> LogEvent {
      .trainingStep(TrainingStep(location: Self.at(index), format: .deepSpeedStep, step: step, skipped: skipped))
    }
    var events: [LogEvent] = [line(1, step: 10, skipped: 6)]
    for (index, step) in stride(from: 20, through: 1000, by: 10).enumerated() {
      events.append(line(index + 2, step: step, skipped: step < 600 ? 6 : 6 + (step - 590) / 5))
    }
    let findings = Self.diagnose(events).flatMap(\.findings)
    let skipped = findings.first { $0.kind == .skippedSteps }
    #expect(skipped?.step == 600)
    #expect(skipped?.severity == .warning)
    // Calibration skips only, then one probe every 500 steps: nothing.
    var calm: [LogEvent] = [line(1, step: 10, skipped: 6)]
    for (index, step) in stride(from: 20, through: 1000, by: 10).enumerated() {
      calm.append(line(index + 2, step: step, skipped: 6 + step / 500))
    }
    #expect(Self.diagnose(calm).flatMap(\.findings).filter { $0.kind == .skippedSteps }.isEmpty)
  }
}
