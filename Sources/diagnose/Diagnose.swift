import ArgumentParser

#if canImport(Glibc)
  import Glibc
#endif

/// The `diagnose` command: reads training logs and says whether the run is stable, and why.
@main
struct Diagnose: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diagnose",
    abstract: "Diagnose large-model training runs from their logs.",
    discussion: """
      Reads HuggingFace Trainer, DeepSpeed and Megatron console logs, trainer_state.json files, \
      DeepSpeed configs and launch scripts, and says what the run did, whether it was stable, and why.

      Exit status: 0 success; 1 a finding reached --fail-on (report); 2 usage error or an input \
      that could not be read (the other inputs are still processed).
      """,
    subcommands: [
      ReportCommand.self, SeriesCommand.self, SettingsCommand.self, BatchCommand.self, PreflightCommand.self,
      NightlyCommand.self, WatchCommand.self,
    ]
  )

  /// Runs the command; usage errors exit with status 2 (ArgumentParser's own default is 64), so that
  /// the documented statuses hold for every command.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure {
        let message = fullMessage(for: error)
        StandardError.write(message.hasSuffix("\n") ? message : message + "\n")
        Glibc.exit(ExitStatus.inputError)
      }
      exit(withError: error)
    }
  }
}
