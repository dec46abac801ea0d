import Analysis
import ArgumentParser
import LogParse

/// `diagnose preflight`: check a launch script and its DeepSpeed config before spending GPU hours.
struct PreflightCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "preflight",
    abstract: "Check a launch script (and its DeepSpeed config) before the run starts.",
    discussion: """
      Resolves the settings of a launch script or command (shell variables followed) and the DeepSpeed \
      config it names or --config gives, checks that they agree (total batch = per-device × GAS × GPUs \
      per node × nodes; DeepSpeed values that are not "auto" against the command line), and applies the \
      rules that need no log: clipping off, fp16 on a model family pretrained in bf16, the learning rate \
      against --baseline or --reference-batch/--reference-lr, warm-up against the run's length.

      Exit status: 0 when DeepSpeed and HF would start the run; 1 when they would refuse it (a \
      mismatch HF's "Please correct the following DeepSpeed config values" or DeepSpeed's batch \
      assertion would stop it at start-up); 2 for a usage error or an input that could not be read.
      """
  )

  @Argument(help: "The launch script or a file holding the launch command.")
  var script: String

  @Option(name: .customLong("config"), help: "A DeepSpeed JSON config (read as well as the one the script names).")
  var configs: [String] = []

  @OptionGroup var reference: ReferenceOptions

  func run() throws {
    var reporter = InputReporter()
    var inputs = RunInputs.read(
      script, as: SettingsCommand.configKind(script), configs: configs, allowBinary: false, reporter: &reporter
    ) { _ in }
    if inputs.failed && !inputs.readAnything { throw ExitCode(ExitStatus.inputError) }
    inputs.failed = inputs.failed || reporter.failed
    let reference = self.reference.load(&reporter)
    let settings = RunSettings(inputs.table)
    let problems = SettingsConsistency.check(settings, errors: inputs.errors)
    let checks = PreflightRules.check(settings, table: inputs.table, reference: reference)
    var output = OutputBuffer()
    PreflightTextRenderer().render(
      script: script, settings: settings, problems: problems, checks: checks, into: &output)
    output.flush()
    if problems.contains(where: \.rejectedAtStartup) { throw ExitCode(ExitStatus.findings) }
    if reporter.failed { throw ExitCode(ExitStatus.inputError) }
  }
}
