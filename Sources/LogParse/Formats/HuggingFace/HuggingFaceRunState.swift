/// What the HF console lines of one input mean together, read in input order by the
/// ``LogSequencer``: which run they are in, what that run has already stated, and which records
/// are copies printed by other ranks or nodes.
///
/// Multi-node jobs print the same banner, arguments dump and log dicts once per node (before
/// 4.37 `ProgressCallback` printed on every local rank 0; `PrinterCallback` still does:
/// log-formats.md §1.1), sometimes interleaved line by line (`corpus/public/05`, 16 nodes). This
/// state keeps one step one event and one run one ``RunBoundary``, and counts the copies instead.
final class HuggingFaceRunState {
  /// Training, eval and summary records accepted since the current run started.
  private(set) var recordsInRun = 0
  /// A ``RunBoundary/Kind/start`` was emitted for the current run and no record came since.
  private var openedRun = false
  private var bannerInRun = false
  private var resumeInRun = false
  private var summaryInRun = false
  /// Settings stated in this run (name, source and value), to drop per-node copies.
  private var stated: Set<String> = []
  /// Inside a `***** Running training *****` block (its `Num examples` are the training set's).
  var inTrainingBanner = false
  private var lastEpoch: (value: Double, identity: Int)?
  private var group: Group?

  private(set) var duplicateBanners = 0
  private(set) var duplicateSettings = 0
  private(set) var duplicateRecords = 0
  private var firstDuplicate: SourceLocation?

  init() {}

  /// A group of records that are copies of one another: the same kind and epoch, printed by
  /// distinct ranks or nodes (or with identical values). The printers seen are kept apart in
  /// `groupPrinters`, reused from group to group, so that no record allocates.
  private struct Group {
    var kind: RecordKind
    var epochBits: UInt64?
    var values: RecordValues
  }

  /// Unchecked for exclusivity: `accept` reads and changes it for every record (three dynamic
  /// checks a record, 1.7 % of `series`), and no access to it can overlap another (the state is
  /// one sequencer's, used on one thread, and nothing is called back while it is accessed).
  @exclusivity(unchecked)
  private var groupPrinters: [Int] = []

  /// The values that tell two records apart, as bit patterns (so that NaN equals NaN).
  struct RecordValues: Equatable {
    var first: UInt64
    var second: UInt64
    var third: UInt64

    init(_ first: Double?, _ second: Double? = nil, _ third: Double? = nil) {
      self.first = first?.bitPattern ?? UInt64.max
      self.second = second?.bitPattern ?? UInt64.max
      self.third = third?.bitPattern ?? UInt64.max
    }
  }

  enum RecordKind { case training, evaluation }

  /// An identity for the rank or node a line's prefix names; unprefixed lines share one.
  ///
  /// Inlined: the dict parser asks for every record, and most have no prefix.
  @inline(__always)
  static func identity(_ prefix: LinePrefix, in bytes: UnsafeRawBufferPointer) -> Int {
    if let rank = prefix.rank { return rank }
    guard let host = prefix.host else { return Int.min }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes[host] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return Int(truncatingIfNeeded: hash | 1 << 62)
  }

  // MARK: - Runs

  /// A `***** Running training *****` line. Returns the boundary to emit, if this is not a copy.
  func banner(at location: SourceLocation) -> RunBoundary? {
    inTrainingBanner = true
    if bannerInRun && recordsInRun == 0 {
      noteDuplicate(at: location, &duplicateBanners)
      return nil
    }
    if recordsInRun > 0 { startRun() }
    bannerInRun = true
    if openedRun { return nil }
    openedRun = true
    return RunBoundary(location: location, kind: .start, reason: .banner)
  }

  /// A `TrainingArguments(` dump: a new process when the run already logged records.
  func argumentsDump(at location: SourceLocation) -> RunBoundary? {
    guard recordsInRun > 0 else { return nil }
    startRun()
    openedRun = true
    return RunBoundary(location: location, kind: .start, reason: .arguments)
  }

  /// A resume line (`Continuing training from global step N`, 5.x `Resuming training from checkpoint…`).
  func resume(at location: SourceLocation, fromStep: Int?) -> RunBoundary? {
    if resumeInRun && recordsInRun == 0 {
      noteDuplicate(at: location, &duplicateBanners)
      return nil
    }
    resumeInRun = true
    return RunBoundary(location: location, kind: .resume, fromStep: fromStep, reason: .resumeLine)
  }

  private func startRun() {
    recordsInRun = 0
    openedRun = false
    bannerInRun = false
    resumeInRun = false
    summaryInRun = false
    stated.removeAll()
    lastEpoch = nil
    group = nil
  }

  // MARK: - Settings

  /// Whether a setting is new in this run (not a copy printed by another node). Other sources'
  /// settings are kept as they come.
  ///
  /// A banner label line (`Num Epochs = 3`) counts only inside a training block: after a
  /// `***** Running training *****` line and before the run's first record or another phase's
  /// banner, which is where the Trainer prints them (log-formats.md §1.4; an eval banner's
  /// `Num examples` is the eval set's).
  func accept(_ setting: SettingEvent) -> Bool {
    switch setting.source {
    case .hfBanner: guard inTrainingBanner else { return false }
    case .hfTrainingArguments: break
    default: return true
    }
    let key = "\(setting.source.rawValue)|\(setting.name)|\(setting.value)"
    if stated.insert(key).inserted { return true }
    noteDuplicate(at: setting.location, &duplicateSettings)
    return false
  }

  // MARK: - Records

  /// Whether a training or eval dict is a new record; a copy is counted and dropped. A new
  /// training record whose epoch fell to half or less of the last one (same printer) means a
  /// run restarted in the same file without a visible banner: that boundary is returned too.
  func accept(
    _ kind: RecordKind, epoch: Double?, values: RecordValues, identity: Int, at location: SourceLocation
  ) -> (accepted: Bool, restart: RunBoundary?) {
    let epochBits = epoch?.bitPattern
    if let current = group, current.kind == kind, current.epochBits == epochBits,
      !groupPrinters.contains(identity) || current.values == values
    {
      groupPrinters.append(identity)
      noteDuplicate(at: location, &duplicateRecords)
      return (false, nil)
    }
    var restart: RunBoundary?
    if kind == .training, let epoch {
      if let last = lastEpoch, last.identity == identity, epoch <= last.value / 2, epoch < last.value, recordsInRun > 0,
        !openedRun
      {
        startRun()
        restart = RunBoundary(location: location, kind: .start, reason: .epochWentBack)
      }
      lastEpoch = (epoch, identity)
    }
    group = Group(kind: kind, epochBits: epochBits, values: values)
    if groupPrinters.count == 1 {
      // The usual group, one printer: overwritten in place (`removeAll(keepingCapacity:)` takes
      // the generic range-replacing path, ~60 instructions a record).
      groupPrinters[0] = identity
    } else {
      groupPrinters.removeAll(keepingCapacity: true)
      groupPrinters.append(identity)
    }
    recordAccepted()
    return (true, restart)
  }

  /// Whether a final `train_runtime` dict is the run's first (each node prints its own).
  func acceptSummary(at location: SourceLocation) -> Bool {
    if summaryInRun {
      noteDuplicate(at: location, &duplicateRecords)
      return false
    }
    summaryInRun = true
    group = nil
    recordAccepted()
    return true
  }

  private func recordAccepted() {
    recordsInRun += 1
    openedRun = false
    inTrainingBanner = false
  }

  private func noteDuplicate(at location: SourceLocation, _ counter: inout Int) {
    counter += 1
    if firstDuplicate == nil { firstDuplicate = location }
  }

  /// One note for the whole input saying how many copies were dropped, if any.
  func duplicatesNote() -> ParseNote? {
    guard let firstDuplicate else { return nil }
    var parts: [String] = []
    if duplicateRecords > 0 { parts.append("\(duplicateRecords) log dicts") }
    if duplicateBanners > 0 { parts.append("\(duplicateBanners) banner or resume lines") }
    if duplicateSettings > 0 { parts.append("\(duplicateSettings) setting lines") }
    return ParseNote(
      location: firstDuplicate, kind: .duplicates,
      message: "\(parts.joined(separator: ", ")) repeated by other ranks or nodes; each was counted once")
  }
}
