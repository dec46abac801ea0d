import ArgumentParser

/// `--no-progress`, shared by the commands that read whole inputs (report, series, settings).
struct ProgressOptions: ParsableArguments {
  @Flag(
    name: .customLong("no-progress"),
    help: "Never draw the progress line on standard error (drawn only on a terminal, for inputs over 100 MB).")
  var noProgress = false

  var enabled: Bool { !noProgress }
}
