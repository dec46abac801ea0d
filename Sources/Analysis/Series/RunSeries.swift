public import LogParse

/// One run segment's metrics keyed by optimizer step, stored column by column.
///
/// A 1 GB log holds about a million logged steps; an array of structs with optionals would cost
/// ~100 bytes a step, these columns cost ~50 and scan fast. A value the log did not print is stored
/// as ``RunSeries/missing`` (a NaN with a payload no parser produces), so that a printed `nan` stays
/// distinguishable from "not printed": use ``RunSeries/value(_:)`` to read one back.
///
/// - Complexity: `append` is amortised O(1).
public struct RunSeries: Sendable {
  /// The marker for "the log did not print this value".
  public static let missing = Double(nan: 0x5eed, signaling: false)

  public private(set) var steps: [Int] = []
  public private(set) var lines: [Int] = []
  public private(set) var epochs: [Double] = []
  public private(set) var losses: [Double] = []
  public private(set) var gradNorms: [Double] = []
  public private(set) var learningRates: [Double] = []
  public private(set) var lossScales: [Double] = []
  /// Skipped-step counts as printed (`-1` when not printed).
  public private(set) var skipped: [Int] = []

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

  public var count: Int { steps.count }
  public var isEmpty: Bool { steps.isEmpty }

  /// `nil` for ``missing``, the stored value (possibly NaN or ±inf as printed) otherwise.
  @inlinable public static func value(_ stored: Double) -> Double? {
    stored.bitPattern == missing.bitPattern ? nil : stored
  }

  static func store(_ value: Double?) -> Double { value ?? missing }

  public mutating func reserveCapacity(_ capacity: Int) {
    steps.reserveCapacity(capacity)
    lines.reserveCapacity(capacity)
    epochs.reserveCapacity(capacity)
    losses.reserveCapacity(capacity)
    gradNorms.reserveCapacity(capacity)
    learningRates.reserveCapacity(capacity)
    lossScales.reserveCapacity(capacity)
    skipped.reserveCapacity(capacity)
  }

  /// Appends a training record numbered `step`.
  public mutating func append(step: Int, record: TrainingStep) {
    steps.append(step)
    lines.append(record.location.line)
    epochs.append(Self.store(record.epoch))
    losses.append(Self.store(record.loss))
    gradNorms.append(Self.store(record.gradNorm))
    learningRates.append(Self.store(record.learningRate))
    lossScales.append(Self.store(record.lossScale))
    skipped.append(record.skipped ?? -1)
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

  public func loss(at index: Int) -> Double? { Self.value(losses[index]) }
  public func gradNorm(at index: Int) -> Double? { Self.value(gradNorms[index]) }
  public func learningRate(at index: Int) -> Double? { Self.value(learningRates[index]) }

  /// The index of the first record whose step is `>= step`, by binary search (steps ascend).
  public func firstIndex(atOrAfter step: Int) -> Int {
    var low = 0
    var high = steps.count
    while low < high {
      let mid = (low + high) / 2
      if steps[mid] < step { low = mid + 1 } else { high = mid }
    }
    return low
  }
}
