/// Applies, in input order, everything a log's meaning takes from the lines before: run
/// boundaries and copies printed by other ranks (``HuggingFaceRunState``), overflow reports spread
/// over several lines (``OverflowMerger``) and settings stated once. It consumes the formats'
/// ``SequenceMark``s and hands on every other event it keeps.
///
/// Formats read each line on their own, so any stretch of a file can be parsed on any core; the
/// sequencer is the cheap second stage that both the one-core scan (``LogScanner``) and the
/// parallel one (``ParallelScan``, after merging the ranges in order) run over the same event
/// stream. That is why the two give the same events.
///
/// ```swift
/// let sequencer = LogSequencer()
/// for event in rawEvents { sequencer.add(event, consume) }
/// sequencer.finish(consume)
/// ```
final class LogSequencer {
  private let huggingFace = HuggingFaceRunState()
  private var overflows = OverflowMerger()
  /// Keys of ``SequenceMark/Kind/once(_:)`` settings already kept.
  private var stated: Set<String> = []
  /// A mark about the event that follows it.
  private var attached: SequenceMark.Kind?

  /// Whether the events so far left an HF `***** Running training *****` block open (no record
  /// since): a range of a file that starts here must search for the block's label lines.
  var isInsideTrainingBlock: Bool { huggingFace.inTrainingBanner }

  /// Takes the next event in input order and hands `consume` what it keeps, now or later (a held
  /// overflow report comes out when the next overflow line or the end shows it complete).
  func add(_ event: LogEvent, _ consume: (LogEvent) -> Void) {
    let mark = attached
    attached = nil
    switch event {
    case .mark(let new):
      apply(new, consume)
    case .trainingStep(let step) where step.format == .huggingFaceDict:
      let printer: Int
      if case .printer(let identity) = mark { printer = identity } else { printer = step.rank ?? Int.min }
      let (accepted, restart) = huggingFace.accept(
        .training, epoch: step.epoch, values: .init(step.loss, step.gradNorm, step.learningRate), identity: printer,
        at: step.location)
      if let restart { consume(.runBoundary(restart)) }
      if accepted { consume(event) }
    case .evaluation(let evaluation):
      let printer: Int
      if case .printer(let identity) = mark { printer = identity } else { printer = Int.min }
      let accepted = huggingFace.accept(
        .evaluation, epoch: evaluation.epoch, values: .init(evaluation.loss), identity: printer,
        at: evaluation.location
      ).accepted
      if accepted { consume(event) }
    case .trainingSummary(let summary):
      if huggingFace.acceptSummary(at: summary.location) { consume(event) }
    case .setting(let setting):
      if case .once(let key) = mark {
        if stated.insert(key).inserted { consume(event) }
      } else if huggingFace.accept(setting) {
        consume(event)
      }
    case .overflow(let overflow):
      if case .overflowLine(let part) = mark {
        overflows.add(overflow, as: part, consume)
      } else {
        consume(event)
      }
    default:
      consume(event)
    }
  }

  /// ``add(_:_:)`` for each event of `events`, in order, moving each out of its slot.
  ///
  /// A copy of an event is an outlined enum copy with a retain (about 150 instructions for a
  /// training step) and a destroy later; a move is a plain memory copy. A placeholder without
  /// references takes each slot, so the buffer stays initialised for its owner to empty. Looping
  /// here, not in the caller, also spares a retain and release of the sequencer per event.
  func add(movingFrom events: UnsafeMutableBufferPointer<LogEvent>, _ consume: (LogEvent) -> Void) {
    Self.forEach(movingFrom: events) { add($0, consume) }
  }

  /// Hands each event of `events` to `body`, in order, moving it out and leaving a placeholder.
  static func forEach(movingFrom events: UnsafeMutableBufferPointer<LogEvent>, _ body: (LogEvent) -> Void) {
    guard let first = events.baseAddress else { return }
    // SAFETY: `index` stays below `events.count`; each slot is given a placeholder as soon as its
    // event is moved out, so every slot is initialised whenever `body` runs or the loop ends.
    for index in events.indices {
      let event = (first + index).move()
      (first + index).initialize(
        to: .mark(SequenceMark(location: SourceLocation(line: 0, offset: 0), kind: .otherBanner)))
      body(event)
    }
  }

  /// The input ended: emits what is still held and the note counting dropped copies.
  func finish(_ consume: (LogEvent) -> Void) {
    if let note = huggingFace.duplicatesNote() { consume(.note(note)) }
    overflows.flush(consume)
  }

  private func apply(_ mark: SequenceMark, _ consume: (LogEvent) -> Void) {
    switch mark.kind {
    case .trainingBanner:
      if let boundary = huggingFace.banner(at: mark.location) { consume(.runBoundary(boundary)) }
    case .otherBanner:
      huggingFace.inTrainingBanner = false
    case .argumentsDump:
      if let boundary = huggingFace.argumentsDump(at: mark.location) { consume(.runBoundary(boundary)) }
    case .resume(let fromStep):
      // Resume lines belong to the training block, as its label lines do (see `accept(_:)`).
      guard huggingFace.inTrainingBanner else { return }
      if let boundary = huggingFace.resume(at: mark.location, fromStep: fromStep) { consume(.runBoundary(boundary)) }
    case .printer, .overflowLine, .once:
      attached = mark.kind
    }
  }
}
