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
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  @Argument(help: "Logs, trainer_state.json files, checkpoint folders, launch scripts.")
  var files: [String]

  @Option(name: .customLong("config"), help: "A DeepSpeed JSON config or launch script to read as well.")
  var configs: [String] = []

  @Option(help: "Output format: text or json.")
  var format: Format = .text

  func run() throws {
    var table = SettingsTable()
    var reporter = InputReporter()
    for file in files + configs {
      do {
        try InputLoader.load(file) { event in
          switch event {
          case .setting(let setting): table.add(setting, from: file)
          case .note(let note): reporter.warn(source: file, note)
          default: break
          }
        }
      } catch {
        reporter.report(error)
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
}
