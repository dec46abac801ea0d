/// Reads LLaMA-Factory's `trainer_log.jsonl` (log-formats.md §5): one JSON object per log, with
/// `current_steps`, `total_steps`, `loss`, `eval_loss`, `lr`, `epoch`… and `null` for what was not
/// logged.
///
/// A line that is not JSON (typically the last one, cut when the job died) is a note; the other
/// lines are still read.
public enum LlamaFactoryLogReader {
  public static func read(_ path: String, _ consume: (LogEvent) -> Void) throws(InputError) {
    let bytes = try WholeFileReader.contents(of: path)
    var statedTotal = false
    var lastStep: Int?
    var line = 0
    var start = 0
    while start < bytes.count {
      line += 1
      var end = start
      while end < bytes.count, bytes[end] != 0x0A { end += 1 }
      defer { start = end + 1 }
      let location = SourceLocation(line: line, offset: Int64(start))
      if bytes[start..<end].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
      let parsed: JSONValue
      switch LenientJSONReader.parse(bytes, range: start..<end) {
      case .success(let value): parsed = value
      case .failure(let error):
        consume(
          .note(
            ParseNote(
              location: location, kind: .incompleteRecord,
              message: "not a JSON record (byte \(start + error.offset)): \(error.message); skipped")))
        continue
      }
      guard let record = parsed.object else { continue }
      if !statedTotal, let total = record["total_steps"]?.int {
        statedTotal = true
        consume(
          .setting(
            SettingEvent(
              location: location, name: "max_steps", value: .int(total), source: .llamaFactoryLog,
              text: "\"total_steps\": \(total)")))
      }
      let step = record["current_steps"]?.int
      if let step, let last = lastStep, step < last {
        // A new run appended to the same file (a resumed run continues the count).
        consume(.runBoundary(RunBoundary(location: location, kind: .start, reason: .stepWentBack)))
      }
      if let step { lastStep = step }
      if let evalLoss = record.number("eval_loss") {
        consume(.evaluation(Evaluation(location: location, step: step, epoch: record.number("epoch"), loss: evalLoss)))
      }
      let loss = record.number("loss")
      let rate = record.number("lr") ?? record.number("learning_rate")
      if loss != nil || rate != nil {
        consume(
          .trainingStep(
            TrainingStep(
              location: location, format: .llamaFactoryJSONL, step: step, epoch: record.number("epoch"), loss: loss,
              gradNorm: record.number("grad_norm"), learningRate: rate)))
      }
    }
  }
}
