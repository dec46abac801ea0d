extension LogEvent {
  /// Moves the event's line number by `delta`, in place.
  mutating func shiftLines(by delta: Int) {
    guard delta != 0 else { return }
    self = shiftingLines(by: delta)
  }

  /// The same event with its line number moved by `delta`: a range of a file read on its own
  /// counts lines from 1, and ``ParallelScan`` adds the lines of the ranges before it.
  func shiftingLines(by delta: Int) -> LogEvent {
    guard delta != 0 else { return self }
    switch self {
    case .trainingStep(var step):
      step.location.line += delta
      return .trainingStep(step)
    case .evaluation(var evaluation):
      evaluation.location.line += delta
      return .evaluation(evaluation)
    case .trainingSummary(var summary):
      summary.location.line += delta
      return .trainingSummary(summary)
    case .setting(var setting):
      setting.location.line += delta
      return .setting(setting)
    case .overflow(var overflow):
      overflow.location.line += delta
      return .overflow(overflow)
    case .runBoundary(var boundary):
      boundary.location.line += delta
      return .runBoundary(boundary)
    case .note(var note):
      note.location.line += delta
      return .note(note)
    case .throughput(var sample):
      sample.location.line += delta
      return .throughput(sample)
    case .configurationError(var error):
      error.location.line += delta
      return .configurationError(error)
    case .mark(var mark):
      mark.location.line += delta
      return .mark(mark)
    }
  }
}
