import Analysis
import LogParse

/// One run's inputs read together: its log, the DeepSpeed config the log or script names
/// (`--deepspeed ds.json`, found beside it), and configs given with `--config`; the settings and
/// configuration errors they state, for the run's assessment.
struct RunInputs {
  var table = SettingsTable()
  var errors: [SettingsConsistency.ReportedError] = []
  /// Whether the primary input delivered anything before a failure (a cut file keeps what was read).
  var readAnything = false
  /// Whether the primary input could not be read (completely or in part).
  var failed = false
  /// Why the primary input could not be read, when it could not.
  var error: InputError?

  /// Reads `file` (handing every event to `consume`; a large regular console log on up to
  /// `threads` cores), then what it names, then `configs`.
  ///
  /// With `progress`, a long `file` shows a ``ProgressIndicator`` while it is read.
  static func read(
    _ file: String, as kind: InputKind? = nil, configs: [String], allowBinary: Bool, threads: Int = 1,
    reporter: inout InputReporter, progress: Bool = false, _ consume: (LogEvent) -> Void
  ) -> RunInputs {
    var inputs = RunInputs()
    var named: [String] = []
    var indicator = ProgressIndicator(path: file, enabled: progress)
    do {
      try InputLoader.load(file, as: kind, allowBinary: allowBinary, threads: threads) { event in
        inputs.readAnything = true
        inputs.note(event, from: file, named: &named)
        indicator.update(bytes: event.location.offset)
        if case .note(let note) = event {
          indicator.clear()
          reporter.warn(source: file, note)
        }
        consume(event)
      }
    } catch {
      indicator.clear()
      inputs.failed = true
      inputs.error = error
      reporter.report(error)
    }
    indicator.clear()
    var seen = Set([ConfigPath.identity(file)])
    var queue = named.compactMap { ConfigPath.locate($0, besideInput: file) }.map { ($0, InputKind.deepSpeedConfig) }
    queue += configs.map { ($0, SettingsCommand.configKind($0)) }
    var index = 0
    while index < queue.count {
      let (config, kind) = queue[index]
      index += 1
      guard seen.insert(ConfigPath.identity(config)).inserted else { continue }
      var more: [String] = []
      do {
        try InputLoader.load(config, as: kind) { event in
          inputs.note(event, from: config, named: &more)
          if case .note(let note) = event { reporter.warn(source: config, note) }
        }
      } catch {
        reporter.report(error)
      }
      queue += more.compactMap { ConfigPath.locate($0, besideInput: config) }.map { ($0, InputKind.deepSpeedConfig) }
    }
    return inputs
  }

  private mutating func note(_ event: LogEvent, from source: String, named: inout [String]) {
    switch event {
    case .setting(let setting):
      table.add(setting, from: source)
      if setting.name == "deepspeed", case .string(let path) = setting.value { named.append(path) }
    case .configurationError(let error):
      errors.append(SettingsConsistency.ReportedError(sourcePath: source, error: error))
    default:
      break
    }
  }
}
