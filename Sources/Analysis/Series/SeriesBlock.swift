import LogParse

/// Up to ``RunSeries/blockSize`` consecutive records of a ``RunSeries``, column by column.
///
/// Each column is allocated at its full block capacity when the block first needs it, so a series
/// grows by one block at a time: no doubling, no copy of what is already stored. A column the log
/// does not print (grad_norm before HF 4.38, epoch under Megatron) is never allocated.
struct SeriesBlock: Sendable {
  var steps = PackedIntegers()
  var lines = PackedIntegers()
  var losses: [Double] = []
  var gradNorms: [Double] = []
  var learningRates: [Double] = []
  /// Epochs as `Float`: see ``RunSeries/epoch(at:)`` for why that is enough and how they read back.
  var epochs: [Float] = []

  var count: Int { steps.count }

  var allocatedBytes: Int {
    steps.allocatedBytes + lines.allocatedBytes
      + (losses.capacity + gradNorms.capacity + learningRates.capacity) * MemoryLayout<Double>.stride
      + epochs.capacity * MemoryLayout<Float>.stride
  }

  mutating func append(step: Int, record: TrainingStep, capacity: Int) {
    let index = count
    Self.append(record.loss, to: &losses, at: index, missing: RunSeries.missing, capacity: capacity)
    Self.append(record.gradNorm, to: &gradNorms, at: index, missing: RunSeries.missing, capacity: capacity)
    Self.append(record.learningRate, to: &learningRates, at: index, missing: RunSeries.missing, capacity: capacity)
    Self.append(
      record.epoch.map(Float.init), to: &epochs, at: index, missing: RunSeries.missingEpoch, capacity: capacity)
    steps.append(step, capacity: capacity)
    lines.append(record.location.line, capacity: capacity)
  }

  /// Appends `value` to a column that may not exist yet: it is created (and filled with `missing`
  /// up to `index`) when the first value arrives.
  private static func append<Value>(
    _ value: Value?, to column: inout [Value], at index: Int, missing: Value, capacity: Int
  ) {
    if column.isEmpty {
      guard let value else { return }
      column.reserveCapacity(capacity)
      column.append(contentsOf: repeatElement(missing, count: index))
      column.append(value)
    } else {
      column.append(value ?? missing)
    }
  }
}
