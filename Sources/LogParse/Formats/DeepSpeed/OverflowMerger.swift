/// Merges the lines of DeepSpeed's fused-optimizer overflow reports, in input order, into one
/// ``OverflowEvent`` each (see ``DeepSpeedOverflowFormat``).
///
/// A report that began (`Grad overflow on iteration N`, or a `Reducing dynamic loss scale` line
/// on its own) is held until the line that closes it, or until another overflow line or the end
/// of the input shows that nothing more will come; it is then emitted at that point.
struct OverflowMerger {
  /// A report whose later lines may still come.
  private var pending: OverflowEvent?

  /// Takes one overflow line with its part in a report.
  mutating func add(_ event: OverflowEvent, as part: SequenceMark.OverflowLine, _ emit: (LogEvent) -> Void) {
    switch part {
    case .complete:
      flush(emit)
      emit(.overflow(event))
    case .fusedStart:
      flush(emit)
      pending = event
    case .fusedReduce:
      if var open = pending, open.attemptedScale == nil {
        (open.kind, open.attemptedScale, open.newScale) = (.reduced, event.attemptedScale, event.newScale)
        pending = open
      } else {
        flush(emit)
        pending = event
      }
    case .fusedClose:
      if var open = pending, open.attemptedScale == nil || open.attemptedScale == event.attemptedScale {
        (open.kind, open.attemptedScale, open.newScale) = (.reduced, event.attemptedScale, event.newScale)
        pending = nil
        emit(.overflow(open))
      } else {
        flush(emit)
        emit(.overflow(event))
      }
    }
  }

  /// Emits the report still held, if any.
  mutating func flush(_ emit: (LogEvent) -> Void) {
    if let open = pending { emit(.overflow(open)) }
    pending = nil
  }
}
