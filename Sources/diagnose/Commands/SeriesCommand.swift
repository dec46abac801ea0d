import Analysis
import ArgumentParser
import LogParse

/// `diagnose series`: the parsed training series as CSV or JSON Lines, for pandas and friends.
struct SeriesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "series",
    abstract: "Print the training series parsed from logs, one row per logged step.",
    discussion: """
      Columns: source, line, step, epoch, loss, grad_norm, learning_rate, step_basis, run, \
      loss_scale, skipped, overflow, global_batch_size, rank. `overflow` counts the fp16 overflow messages since \
      the previous row; `skipped` is as printed (DeepSpeed: cumulative; Megatron: per logging \
      window). A Megatron line that printed no loss while its grad norm is nan has loss nan. Values the \
      log printed as nan or inf are kept as such (JSON Lines: NaN, Infinity, -Infinity, as Python's \
      json module writes and reads them); values it did not print are empty (null).

      HF Trainer dicts carry no step number: rows are numbered by --logging-steps when given, else \
      by the logging_steps the log states (TrainingArguments dump), else 1, 2, 3…; step_basis says \
      which. run counts the training runs in one input: a new "***** Running training *****" \
      banner after logged steps, or a step counter that goes back, starts the next; a resume \
      ("Continuing training from global step N") stays in the same run and numbers from N.

      Inputs: console logs, trainer_state.json, an output_dir or checkpoint-N folder (its newest \
      trainer_state.json), LLaMA-Factory trainer_log.jsonl.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case csv, jsonl
  }

  @Argument(help: "Log files to read; '-' reads standard input.")
  var files: [String]

  @Option(help: "Output format: csv or jsonl.")
  var format: Format = .csv

  @Option(help: "The run's logging_steps, to number HF dict records (step = k × N); overrides the log's.")
  var loggingSteps: Int?

  @Flag(help: "Read files that look binary (contain NUL bytes) instead of skipping them.")
  var binary = false

  @Option(help: "Parser threads for a large regular file (default: every core). The output is the same.")
  var threads: Int?

  @OptionGroup var progress: ProgressOptions

  func run() throws {
    MemoryPolicy.apply()
    let failed = format == .csv ? render(SeriesCSVRenderer()) : render(SeriesJSONLinesRenderer())
    if failed { throw ExitCode(ExitStatus.inputError) }
  }

  /// Writes every input's rows with `renderer`; returns whether an input could not be read.
  ///
  /// Generic rather than over `any SeriesRenderer`: an existential holding a renderer this large
  /// keeps it in a box that every mutating call checks for uniqueness, once per row.
  private func render<Renderer: SeriesRenderer>(_ renderer: consuming Renderer) -> Bool {
    var renderer = renderer
    var output = OutputBuffer()
    var reporter = InputReporter()
    renderer.begin(into: &output)
    for file in files {
      var builder = SeriesBuilder(loggingSteps: loggingSteps)
      renderer.startSource(file)
      var rows = 0
      var indicator = ProgressIndicator(path: file, enabled: progress.enabled)
      defer { indicator.clear() }
      do {
        try InputLoader.load(file, allowBinary: binary, threads: threads ?? ParallelScan.availableCores) { event in
          // One switch: each `if case` on the event copied all of it once more.
          switch event {
          case .trainingStep(let record):
            // The step's own location: `event.location` would copy the whole event once more.
            indicator.update(bytes: record.location.offset)
            if let numbering = builder.number(record) {
              rows += 1
              renderer.write(record, numbering, into: &output)
            }
          case .note(let note):
            indicator.update(bytes: note.location.offset)
            output.flush()
            indicator.clear()
            reporter.warn(source: file, note)
          default:
            indicator.update(bytes: event.location.offset)
            _ = builder.add(event)
          }
        }
      } catch {
        indicator.clear()
        output.flush()
        reporter.report(error)
        continue
      }
      if rows == 0 {
        output.flush()
        StandardError.write("diagnose: \(FormatRegistry.noTrainingRecordsMessage(file))\n")
      }
    }
    output.flush()
    return reporter.failed
  }
}
