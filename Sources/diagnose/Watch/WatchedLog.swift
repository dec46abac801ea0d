import Analysis
import LogParse

/// One followed log: its follower, its scanner and its online analysis.
///
/// Each ``poll(now:)`` reads what was appended, feeds every event to the same ``RunAnalyzer`` that
/// `report` uses, and turns the findings it raised into ``Alert``s. A rotated, truncated or
/// re-created file continues the same analysis: for the watcher it is one run that goes on.
final class WatchedLog {
  let source: String
  private let follower: FileFollower
  private let scanner = LogScanner(formats: FormatRegistry.consoleFormats())
  private var analyzer: RunAnalyzer
  /// The settings the log states, for the post-mortem's assessment (as `report` reads them; the
  /// DeepSpeed configs a log names are not read by `watch`).
  private var table = SettingsTable()
  private var configurationErrors: [SettingsConsistency.ReportedError] = []
  /// Live state per run segment, in segment order.
  private(set) var runs: [LiveRun] = []
  private var finished = false
  /// Called with each parse note (a recoverable problem in the input).
  var onNote: ((ParseNote) -> Void)?

  /// Whether the next poll's findings are history, read to warm the detectors up, not alerts.
  private var warmingUp: Bool

  /// - Parameter warmUp: the file exists and the watch starts at its end: read what it holds
  ///   without alerting, so that the detectors know the run's level and spread before the first
  ///   new line (a spike right after the watch starts is then caught) and the post-mortem covers
  ///   the whole run.
  init(path: String, warmUp: Bool = false) {
    source = path
    follower = FileFollower(path: path, fromStart: true)
    analyzer = RunAnalyzer(source: path)
    warmingUp = warmUp
  }

  /// The inode being read, if the file is open.
  var followedInode: UInt? { follower.followedInode }

  /// Reads what was appended since the last poll; returns the bytes read and the alerts raised.
  func poll(now: Double) -> (bytesRead: Int, alerts: [Alert]) {
    var alerts: [Alert] = []
    let result = follower.poll { chunk in read(chunk, now: now, into: &alerts) }
    if warmingUp, !result.missing {
      warmingUp = false
      return (0, [])
    }
    return (result.bytesRead, alerts)
  }

  /// Reads a last line that never got its terminator, ends the input and returns the post-mortem.
  func finish(now: Double) -> (alerts: [Alert], diagnoses: [RunAssessment]) {
    var alerts: [Alert] = []
    guard !finished else { return ([], []) }
    finished = true
    follower.finish { chunk in read(chunk, now: now, into: &alerts) }
    scanner.finish { observe($0, chunk: nil, now: now, into: &alerts) }
    return (
      alerts,
      analyzer.finish().map { RunAssessment(diagnosis: $0, table: table, errors: configurationErrors) }
    )
  }

  private func read(_ chunk: Chunk, now: Double, into alerts: inout [Alert]) {
    scanner.scan(chunk) { observe($0, chunk: chunk, now: now, into: &alerts) }
  }

  /// Feeds one event to the analysis and takes the findings it raised at once, so that an alert
  /// shows the finding as it was raised (a replay reads many records per chunk, and detectors
  /// update an open finding as later records come).
  private func observe(_ event: LogEvent, chunk: Chunk?, now: Double, into alerts: inout [Alert]) {
    switch event {
    case .note(let note): onNote?(note)
    case .setting(let setting): table.add(setting, from: source)
    case .configurationError(let error):
      configurationErrors.append(SettingsConsistency.ReportedError(sourcePath: source, error: error))
    default: break
    }
    let before = (analyzer.currentRun, analyzer.lastStep)
    analyzer.add(event)
    defer { collect(now: now, chunk: chunk, into: &alerts) }
    guard case .trainingStep(let record) = event else { return }
    let run = analyzer.currentRun
    let taken = (run, analyzer.lastStep) != before || record.format == .deepSpeedStep
    guard taken else { return }
    var live = liveRun(run)
    live.step = analyzer.lastStep ?? live.step
    if let loss = record.loss { live.loss = loss }
    if let gradNorm = record.gradNorm { live.gradNorm = gradNorm }
    if let learningRate = record.learningRate { live.learningRate = learningRate }
    if let lossScale = record.lossScale { live.lossScale = lossScale }
    live.verdict = analyzer.verdictSoFar
    store(live)
  }

  private func collect(now: Double, chunk: Chunk?, into alerts: inout [Alert]) {
    let fresh = analyzer.takeNewFindings()
    guard !fresh.isEmpty else { return }
    for (run, finding) in fresh {
      var live = liveRun(run)
      live.count(finding)
      if run == analyzer.currentRun { live.verdict = analyzer.verdictSoFar }
      store(live)
      let line = finding.evidence.last?.line
      alerts.append(
        Alert(
          time: now, source: source, run: run, finding: finding, evidenceLine: line,
          evidenceText: line.flatMap { line in chunk.flatMap { Self.text(ofLine: line, in: $0) } }))
    }
  }

  private func liveRun(_ run: Int) -> LiveRun {
    runs.first { $0.run == run } ?? LiveRun(source: source, run: run)
  }

  private func store(_ live: LiveRun) {
    if let index = runs.firstIndex(where: { $0.run == live.run }) {
      runs[index] = live
    } else {
      runs.append(live)
    }
  }

  /// The text of line `line`, if `chunk` holds it. Only called for a finding, so a `String` here
  /// costs nothing on the hot path.
  static func text(ofLine line: Int, in chunk: Chunk) -> String? {
    guard line >= chunk.firstLine else { return nil }
    var found: String?
    chunk.forEachSegment { segment in
      guard found == nil, segment.line == line else { return }
      let bytes = segment.bytes.prefix(Alert.maxEvidenceLength)
      found = String(decoding: bytes, as: UTF8.self)
    }
    return found
  }
}
