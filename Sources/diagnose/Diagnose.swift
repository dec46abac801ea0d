import ArgumentParser

/// The `diagnose` command: reads training logs and says whether the run is stable, and why.
@main
struct Diagnose: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diagnose",
    abstract: "Diagnose large-model training runs from their logs.",
    discussion: """
      Reads HuggingFace Trainer console logs (and more formats as they land) and prints what the \
      run did, step by step.

      Exit status: 0 success; 1 a finding reached --fail-on (report); 2 usage error or an input \
      that could not be read (the other inputs are still processed).
      """,
    subcommands: [SeriesCommand.self, SettingsCommand.self, ReportCommand.self]
  )
}
