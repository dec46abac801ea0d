#if canImport(Glibc)
  internal import Glibc
#endif

/// HF Trainer's printed log dicts, every transformers version from 4.30 to 5.x.
///
/// `ProgressCallback`/`PrinterCallback` print `str(logs)` (log-formats.md §1.1): the dict may sit
/// anywhere in a segment (after tqdm's `\r`, glued to a bar, padded with spaces to the bar width).
/// Training dicts become ``TrainingStep``s; `eval_*` dicts ``Evaluation``s; the final
/// `train_runtime`/`train_loss` dict a ``TrainingSummary``. Prediction dicts and other dict reprs
/// (configs) are ignored.
///
/// Every dict is emitted as read; copies printed by other ranks or nodes (told apart by their
/// line prefixes, or by identical values) and restarts are decided in input order by the
/// ``LogSequencer`` (``HuggingFaceRunState``), told who printed a record by a
/// ``SequenceMark/Kind/printer(_:)`` mark when the step's rank does not say.
public final class HuggingFaceDictFormat: LogFormat {
  public let name = "hf-dict"
  /// Each dict is read on its own; what depends on the dicts before is the sequencer's.
  public var readsFromAnyLine: Bool { true }
  private var entries: [PythonDictReader.Entry] = []
  private let state: HuggingFaceScanState
  /// Whether the common training layouts are read by ``TrainingDictLayout`` (off only in the
  /// tests that compare it with the general path).
  private let readsCommonLayouts: Bool
  /// Dicts in a row that the common layouts did not fit. A log whose every dict carries another
  /// key (TRL's `num_tokens`, 5.x's `num_input_tokens_seen`) would parse three numbers before each
  /// fallback (~250 instructions a dict, measured on a TRL-shaped log); after
  /// ``missesBeforePause`` misses the layouts are tried on one dict in ``retryInterval`` only,
  /// so that a log that changes layout midway is noticed. Both paths emit the same events: this
  /// changes only the time taken, and a fresh instance reads as this one does.
  ///
  /// Unchecked for exclusivity: read and written once per dict, by the one thread that owns this
  /// format, with no call in between that could reach it.
  @exclusivity(unchecked)
  private var layoutMisses = 0
  private static let missesBeforePause = 8
  private static let retryInterval = 64

  public convenience init(state: HuggingFaceScanState = HuggingFaceScanState()) {
    self.init(state: state, readsCommonLayouts: true)
  }

  init(state: HuggingFaceScanState, readsCommonLayouts: Bool) {
    self.state = state
    self.readsCommonLayouts = readsCommonLayouts
  }

  /// `{'` begins every printed log dict.
  public var anchors: [Anchor] { [Anchor("{'")] }

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    var index = 0
    while let open = Self.nextDict(in: bytes, from: index) {
      if readsCommonLayouts, layoutMisses < Self.missesBeforePause || layoutMisses % Self.retryInterval == 0,
        let layout = TrainingDictLayout.read(bytes, at: open)
      {
        layoutMisses = 0
        // Built in one initializer call with its rank, as `record` builds it field by field:
        // each mutation of a step after it is made cost a copy of its 128 bytes.
        let rank = notePrinter(segment, &events)
        events.append(
          .trainingStep(
            TrainingStep(
              location: segment.location, format: .huggingFaceDict, epoch: layout.epoch, loss: layout.loss,
              gradNorm: layout.gradNorm, learningRate: layout.learningRate, rank: rank)))
        index = layout.end
        continue
      }
      layoutMisses &+= 1
      // A local array, swapped out of the property: the property would pay an exclusivity check
      // per access, and a copy left in it would make the first append copy the buffer. Swapping
      // (not copying and clearing) costs no retain or release.
      var entries: [PythonDictReader.Entry] = []
      swap(&entries, &self.entries)
      entries.removeAll(keepingCapacity: true)
      var reader = PythonDictReader(bytes: bytes, start: open)
      if reader.readEntries(into: &entries) {
        record(entries, segment, &events)
        index = reader.index
      } else {
        noteIncomplete(segment, at: open, &events)
        index = open + 2
      }
      swap(&entries, &self.entries)
    }
    return .done
  }

  /// The index of the next `{'` at or after `from`.
  ///
  /// tqdm pads a dict to the bar's width (80 spaces before it in the benchmark log): `memchr`
  /// skips them many bytes at a time, a byte loop cost ~1.5 instructions a byte.
  private static func nextDict(in bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    var start = from
    // `{` as the last byte cannot begin `{'`.
    while start < bytes.count - 1 {
      // SAFETY: memchr reads base[start ..< count - 1], inside the segment.
      guard let hit = memchr(base + start, 0x7B, bytes.count - 1 - start) else { return nil }
      let open = base.distance(to: UnsafeRawPointer(hit))
      if bytes[open + 1] == 0x27 { return open }
      start = open + 1
    }
    return nil
  }

  // MARK: - Classifying a dict

  private func record(_ entries: [PythonDictReader.Entry], _ segment: Segment, _ events: inout [LogEvent]) {
    let bytes = segment.bytes
    var kind = DictKind.other
    // `lr` alone is an optimizer's params dict; as a log key it comes with the epoch.
    var sawLR = false
    var sawEpoch = false
    for entry in entries {
      let key = UnsafeRawBufferPointer(rebasing: bytes[entry.key])
      if Key.hasPrefix(key, "eval_") {
        kind = .evaluation
        break
      }
      if Key.hasPrefix(key, "predict_") || Key.hasPrefix(key, "test_") {
        kind = .prediction
        break
      }
      if Key.equals(key, "train_runtime") || Key.equals(key, "train_loss") {
        kind = .summary
      } else if kind == .other, Key.isTrainingMetric(key) {
        kind = .training
      } else {
        switch Key.identify(key) {
        case .lr: sawLR = true
        case .epoch: sawEpoch = true
        default: break
        }
      }
    }
    if kind == .other, sawLR, sawEpoch { kind = .training }
    switch kind {
    case .training:
      var step = TrainingStep(location: segment.location, format: .huggingFaceDict)
      for entry in entries {
        let key = UnsafeRawBufferPointer(rebasing: bytes[entry.key])
        switch Key.identify(key) {
        case .loss: step.loss = number(entry, segment, &events)
        case .gradNorm: step.gradNorm = number(entry, segment, &events)
        case .learningRate, .lr: step.learningRate = number(entry, segment, &events)
        case .epoch: step.epoch = number(entry, segment, &events)
        case .step: step.step = number(entry, segment, &events).flatMap(Self.exactInt)
        default: break
        }
      }
      append(step, segment, &events)
    case .evaluation:
      var evaluation = Evaluation(location: segment.location)
      for entry in entries {
        let key = UnsafeRawBufferPointer(rebasing: bytes[entry.key])
        switch Key.identify(key) {
        case .evalLoss: evaluation.loss = number(entry, segment, &events)
        case .epoch: evaluation.epoch = number(entry, segment, &events)
        case .step: evaluation.step = number(entry, segment, &events).flatMap(Self.exactInt)
        default: break
        }
      }
      let identity = HuggingFaceRunState.identity(LinePrefix.parse(bytes), in: bytes)
      if identity != Int.min {
        events.append(.mark(SequenceMark(location: segment.location, kind: .printer(identity))))
      }
      state.inTrainingBanner = false
      events.append(.evaluation(evaluation))
    case .summary:
      var summary = TrainingSummary(location: segment.location)
      for entry in entries {
        let key = UnsafeRawBufferPointer(rebasing: bytes[entry.key])
        switch Key.identify(key) {
        case .trainLoss: summary.trainLoss = number(entry, segment, &events)
        case .trainRuntime: summary.runtimeSeconds = number(entry, segment, &events)
        case .epoch: summary.epoch = number(entry, segment, &events)
        default: break
        }
      }
      state.inTrainingBanner = false
      events.append(.trainingSummary(summary))
    case .prediction, .other:
      break
    }
  }

  /// Appends a training step with the rank its line prefix names, after a mark naming its printer
  /// when the rank does not.
  private func append(_ step: consuming TrainingStep, _ segment: Segment, _ events: inout [LogEvent]) {
    step.rank = notePrinter(segment, &events)
    events.append(.trainingStep(step))
  }

  /// For a training step about to be appended: the rank its line prefix names; when that does not
  /// say who printed it (a host prefix), a mark that does. The step ends a training banner.
  @inline(__always)
  private func notePrinter(_ segment: Segment, _ events: inout [LogEvent]) -> Int? {
    let prefix = LinePrefix.parse(segment.bytes)
    let identity = HuggingFaceRunState.identity(prefix, in: segment.bytes)
    if identity != (prefix.rank ?? Int.min) {
      events.append(.mark(SequenceMark(location: segment.location, kind: .printer(identity))))
    }
    state.inTrainingBanner = false
    return prefix.rank
  }

  private func number(_ entry: PythonDictReader.Entry, _ segment: Segment, _ events: inout [LogEvent]) -> Double? {
    let value = UnsafeRawBufferPointer(rebasing: segment.bytes[entry.value])
    if let number = NumberParser.parseDouble(value) { return number }
    // Only complain about values of the keys we read; `None` means "not logged".
    if Key.equals(value, "None") { return nil }
    let key = String(decoding: UnsafeRawBufferPointer(rebasing: segment.bytes[entry.key]), as: UTF8.self)
    events.append(
      .note(
        ParseNote(
          location: segment.location, kind: .unreadableValue,
          message: "value of '\(key)' is not a number: \(String(decoding: value.prefix(40), as: UTF8.self))")))
    return nil
  }

  private func noteIncomplete(_ segment: Segment, at index: Int, _ events: inout [LogEvent]) {
    // Only a dict that starts like a log dict is worth a note; other `{'` are configs and reprs.
    let rest = UnsafeRawBufferPointer(rebasing: segment.bytes[(index + 2)...])
    let looksLikeLog = ["loss'", "grad_norm'", "learning_rate'", "eval_", "train_runtime'"].contains {
      rest.starts(with: $0.utf8)
    }
    guard looksLikeLog else { return }
    events.append(
      .note(
        ParseNote(
          location: segment.location, kind: .incompleteRecord,
          message: "log dict is cut or malformed; it was not counted")))
  }

  private static func exactInt(_ value: Double) -> Int? {
    guard value.isFinite, value == value.rounded(), abs(value) < 1e15 else { return nil }
    return Int(value)
  }

  private enum DictKind { case training, evaluation, summary, prediction, other }
}

/// The dict keys the HF parser reads, matched on bytes.
enum Key {
  case loss, gradNorm, learningRate, lr, epoch, step, evalLoss, trainLoss, trainRuntime, other

  static func identify(_ key: UnsafeRawBufferPointer) -> Key {
    switch key.count {
    case 2: return equals(key, "lr") ? .lr : .other
    case 4: return equals(key, "loss") ? .loss : (equals(key, "step") ? .step : .other)
    case 5: return equals(key, "epoch") ? .epoch : .other
    case 9: return equals(key, "grad_norm") ? .gradNorm : (equals(key, "eval_loss") ? .evalLoss : .other)
    case 10: return equals(key, "train_loss") ? .trainLoss : .other
    case 13:
      if equals(key, "learning_rate") { return .learningRate }
      return equals(key, "train_runtime") ? .trainRuntime : .other
    default: return .other
    }
  }

  static func isTrainingMetric(_ key: UnsafeRawBufferPointer) -> Bool {
    switch identify(key) {
    case .loss, .gradNorm, .learningRate: true
    default: false
    }
  }

  static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
    let count = literal.utf8CodeUnitCount
    guard bytes.count >= count else { return false }
    let pointer = literal.utf8Start
    for index in 0..<count where bytes[index] != pointer[index] { return false }
    return true
  }

  static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
    guard bytes.count == literal.utf8CodeUnitCount else { return false }
    let pointer = literal.utf8Start
    for index in 0..<bytes.count where bytes[index] != pointer[index] { return false }
    return true
  }
}
