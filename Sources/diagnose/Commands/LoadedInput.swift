import Analysis
import LogParse

/// One input read for a report: its run segments, the settings it states, and what went wrong.
///
/// Self-contained so that `nightly` can read many inputs at once on different threads: nothing is
/// written to standard error here; the caller reports ``notes`` and ``error`` in input order.
struct LoadedInput: Sendable {
  var path: String
  var runs: [RunDiagnosis] = []
  var settings = SettingsTable()
  var notes: [ParseNote] = []
  /// Why the input could not be read (or was cut short); runs read before it are kept.
  var error: InputError?

  static func load(_ path: String, allowBinary: Bool = false) -> LoadedInput {
    var input = LoadedInput(path: path)
    var analyzer = RunAnalyzer(source: path)
    var read = false
    do {
      try InputLoader.load(path, allowBinary: allowBinary) { event in
        switch event {
        case .note(let note): input.notes.append(note)
        case .setting(let setting): input.settings.add(setting, from: path)
        default: break
        }
        read = true
        analyzer.add(event)
      }
    } catch {
      input.error = error
      // An input that could not be opened has no run to report; one cut short keeps what was read.
      if !read { return input }
    }
    input.runs = analyzer.finish()
    return input
  }
}
