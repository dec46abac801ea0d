import Analysis
import ArgumentParser
import LogParse

/// `diagnose settings`: every setting the inputs state, with its value and where it was read.
struct SettingsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "settings",
    abstract: "Print every setting found in logs, configs and launch commands, with its source line.",
    discussion: """
      Values derived from others (world_size = total ÷ (per-device × GAS)) are marked derived and \
      show their arithmetic.

      A DeepSpeed config that a log or script names (`--deepspeed ds_config.json`) is read too when \
      it exists (beside that input, else relative to the current directory) and was not given.

      Exit status: 0 when every input was read; 2 when an input could not be read, is not valid \
      JSON, or a launch script uses shell variables that cannot be resolved (a message names the \
      file and line); the other inputs are still read and printed.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  @Argument(help: "Logs, trainer_state.json files, checkpoint folders, launch scripts.")
  var files: [String]

  @Option(name: .customLong("config"), help: "A DeepSpeed JSON config, or a launch command or script (any other file), to read as well.")
  var configs: [String] = []

  @Option(help: "Output format: text or json.")
  var format: Format = .text

  @OptionGroup var progress: ProgressOptions
  @Option(help: "Parser threads for a large regular file (default: every core). The output is the same.")
  var threads: Int?

  func run() throws {
    MemoryPolicy.apply()
    var table = SettingsTable()
    var reporter = InputReporter()
    var queue = files.map { ($0, InputKind?.none) } + configs.map { ($0, Self.configKind($0)) }
    var read = Set(queue.map { ConfigPath.identity($0.0) })
    var index = 0
    while index < queue.count {
      let (file, kind) = queue[index]
      index += 1
      var named: [String] = []
      var indicator = ProgressIndicator(path: file, enabled: progress.enabled)
      do {
        try InputLoader.load(file, as: kind, threads: threads ?? ParallelScan.availableCores) { event in
          indicator.update(bytes: event.location.offset)
          switch event {
          case .setting(let setting):
            table.add(setting, from: file)
            if setting.name == "deepspeed", case .string(let path) = setting.value { named.append(path) }
          case .note(let note):
            indicator.clear()
            reporter.warn(source: file, note)
          default: break
          }
        }
      } catch {
        indicator.clear()
        reporter.report(error)
      }
      indicator.clear()
      for path in named {
        guard let found = ConfigPath.locate(path, besideInput: file), read.insert(ConfigPath.identity(found)).inserted
        else { continue }
        queue.append((found, .deepSpeedConfig))
      }
    }
    var output = OutputBuffer()
    switch format {
    case .text: SettingsTextRenderer().render(table, into: &output)
    case .json: SettingsJSONRenderer().render(table, into: &output)
    }
    output.flush()
    if reporter.failed { throw ExitCode(ExitStatus.inputError) }
  }

  /// `--config` holds a DeepSpeed JSON or a launch command; a file that is not JSON is read as a command.
  static func configKind(_ path: String) -> InputKind {
    let kind = InputKind.detect(path)
    return kind == .consoleLog ? .launchScript : kind
  }
}
