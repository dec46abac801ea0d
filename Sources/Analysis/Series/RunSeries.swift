public import LogParse

/// One run segment's metrics keyed by optimizer step, stored column by column in fixed-size blocks.
///
/// A 1 GB log holds about a million logged steps, and a report must fit in 64 MiB plus 32 bytes per
/// step. Per step this keeps: the loss, grad-norm and learning rate as printed (8 bytes each,
/// exact: the detectors' hindsight and the advice read them back); the epoch as a `Float` (4 bytes,
/// see ``epoch(at:)``); the step and the line as narrow offsets within their block (0–2 bytes each
/// when they ascend evenly, as they do); the loss scale and the skipped count as runs (they change
/// a few times a run). A column the log never prints costs nothing. About 31 bytes a step for an
/// HF run, 27 for Megatron: ``allocatedBytes`` counts them.
///
/// A value the log did not print is stored as ``RunSeries/missing`` (a NaN with a payload no parser
/// produces), so that a printed `nan` stays distinguishable from "not printed": use
/// ``RunSeries/value(_:)`` to read one back.
///
/// - Complexity: `append` is O(1) (a new block is allocated at its full size, nothing is copied);
///   reading a step, line or value at an index is O(1), a loss scale or skipped count O(log runs).
public struct RunSeries: Sendable {
  /// The marker for "the log did not print this value".
  public static let missing = Double(nan: 0x5eed, signaling: false)
  static let missingEpoch = Float(nan: 0x5eed, signaling: false)
  /// Records per block: small enough that a block's line numbers usually fit in 2-byte offsets
  /// (32 lines per record on average), large enough that the per-block overhead is < 1 byte a step.
  static let blockSize = 1 << blockShift

  private var blocks: [SeriesBlock] = []
  private var lossScaleRuns = RunLengthColumn()
  private var skippedRuns = RunLengthColumn()

  /// Evaluation losses with their step and line.
  public private(set) var evalSteps: [Int] = []
  public private(set) var evalLosses: [Double] = []
  public private(set) var evalLines: [Int] = []

  /// fp16 overflows (skipped steps) as the log reported them, with the scale tried and the one that
  /// follows (``missing`` when not printed): what a chart marks on the step axis.
  public private(set) var overflowSteps: [Int] = []
  public private(set) var overflowAttemptedScales: [Double] = []
  public private(set) var overflowNewScales: [Double] = []

  public init() {}

  public private(set) var count = 0
  public var isEmpty: Bool { count == 0 }

  /// `nil` for ``missing``, the stored value (possibly NaN or ±inf as printed) otherwise.
  @inlinable public static func value(_ stored: Double) -> Double? {
    stored.bitPattern == missing.bitPattern ? nil : stored
  }

  static func store(_ value: Double?) -> Double { value ?? missing }

  /// Bytes the series holds on the heap (array capacities, not counts), for the memory budget.
  public var allocatedBytes: Int {
    blocks.reduce(blocks.capacity * MemoryLayout<SeriesBlock>.stride) { $0 + $1.allocatedBytes }
      + lossScaleRuns.allocatedBytes + skippedRuns.allocatedBytes
      + (evalSteps.capacity + evalLosses.capacity + evalLines.capacity) * 8
      + (overflowSteps.capacity + overflowAttemptedScales.capacity + overflowNewScales.capacity) * 8
  }

  /// Appends a training record numbered `step`.
  public mutating func append(step: Int, record: TrainingStep) {
    if count % Self.blockSize == 0 { blocks.append(SeriesBlock()) }
    blocks[blocks.count - 1].append(step: step, record: record, capacity: Self.blockSize)
    lossScaleRuns.append(bits: Self.store(record.lossScale).bitPattern)
    skippedRuns.append(bits: UInt64(bitPattern: Int64(record.skipped ?? -1)))
    count += 1
  }

  public mutating func appendEvaluation(step: Int, loss: Double?, line: Int) {
    evalSteps.append(step)
    evalLosses.append(Self.store(loss))
    evalLines.append(line)
  }

  public mutating func appendOverflow(step: Int, attemptedScale: Double?, newScale: Double?) {
    overflowSteps.append(step)
    overflowAttemptedScales.append(Self.store(attemptedScale))
    overflowNewScales.append(Self.store(newScale))
  }

  // MARK: - Reading

  /// The block holding record `index` and the record's place in it.
  @inline(__always) private static func locate(_ index: Int) -> (block: Int, offset: Int) {
    (index >> blockShift, index & (blockSize - 1))
  }

  private static let blockShift = 11

  public func step(at index: Int) -> Int {
    let (block, offset) = Self.locate(index)
    return blocks[block].steps[offset]
  }

  public func line(at index: Int) -> Int {
    let (block, offset) = Self.locate(index)
    return blocks[block].lines[offset]
  }

  public func loss(at index: Int) -> Double? { Self.value(storedLoss(at: index)) }
  public func gradNorm(at index: Int) -> Double? { Self.value(storedGradNorm(at: index)) }
  public func learningRate(at index: Int) -> Double? { Self.value(storedLearningRate(at: index)) }

  /// The loss of record `index` in stored form (``missing`` when not printed).
  public func storedLoss(at index: Int) -> Double {
    let (block, offset) = Self.locate(index)
    return blocks[block].losses.isEmpty ? Self.missing : blocks[block].losses[offset]
  }

  public func storedGradNorm(at index: Int) -> Double {
    let (block, offset) = Self.locate(index)
    return blocks[block].gradNorms.isEmpty ? Self.missing : blocks[block].gradNorms[offset]
  }

  public func storedLearningRate(at index: Int) -> Double {
    let (block, offset) = Self.locate(index)
    return blocks[block].learningRates.isEmpty ? Self.missing : blocks[block].learningRates[offset]
  }

  /// The epoch printed with record `index`, `nil` when none was.
  ///
  /// Stored as a `Float`, which holds 7 significant digits: HF prints the epoch rounded to 2
  /// decimals (log-formats.md §1.1), and such a value reads back exactly, because the `Float` is
  /// turned back into its shortest decimal (`0.91`, not `0.9100000262260437`). Only an unrounded
  /// epoch (`PrinterCallback`, `0.10666666666666667`) loses digits past the 7th: `0.10666667`.
  public func epoch(at index: Int) -> Double? {
    let (block, offset) = Self.locate(index)
    guard !blocks[block].epochs.isEmpty else { return nil }
    let stored = blocks[block].epochs[offset]
    if stored.bitPattern == Self.missingEpoch.bitPattern { return nil }
    guard stored.isFinite else { return Double(stored) }
    return Double(stored.description) ?? Double(stored)
  }

  /// The fp16 loss scale printed with record `index` (stored form: ``missing`` when not printed).
  public func storedLossScale(at index: Int) -> Double { Double(bitPattern: lossScaleRuns[bits: index]) }

  /// The skipped-step count printed with record `index`, `nil` when none was.
  public func skipped(at index: Int) -> Int? {
    let value = Int(Int64(bitPattern: skippedRuns[bits: index]))
    return value < 0 ? nil : value
  }

  /// The index of the first record whose step is `>= step`, by binary search (steps ascend).
  public func firstIndex(atOrAfter step: Int) -> Int {
    var low = 0
    var high = count
    while low < high {
      let mid = (low + high) / 2
      if self.step(at: mid) < step { low = mid + 1 } else { high = mid }
    }
    return low
  }
}
