/// A column of a ``RunSeries`` read as a collection, so that callers can `map`, `zip` and take
/// `first`/`last` as they would of an array, without the series materialising one.
public struct SeriesColumn<Element>: RandomAccessCollection, Sendable {
  let series: RunSeries
  let read: @Sendable (RunSeries, Int) -> Element

  public var startIndex: Int { 0 }
  public var endIndex: Int { series.count }
  public subscript(position: Int) -> Element { read(series, position) }
}

extension RunSeries {
  /// Steps, ascending within the segment.
  public var steps: SeriesColumn<Int> { SeriesColumn(series: self) { $0.step(at: $1) } }
  /// The line of each record in its input.
  public var lines: SeriesColumn<Int> { SeriesColumn(series: self) { $0.line(at: $1) } }
  /// Losses in stored form: ``missing`` where the record printed none.
  public var losses: SeriesColumn<Double> { SeriesColumn(series: self) { $0.storedLoss(at: $1) } }
  public var gradNorms: SeriesColumn<Double> { SeriesColumn(series: self) { $0.storedGradNorm(at: $1) } }
  public var learningRates: SeriesColumn<Double> { SeriesColumn(series: self) { $0.storedLearningRate(at: $1) } }
  public var lossScales: SeriesColumn<Double> { SeriesColumn(series: self) { $0.storedLossScale(at: $1) } }
  /// Epochs as ``epoch(at:)`` reads them back, `nil` where none was printed.
  public var epochs: SeriesColumn<Double?> { SeriesColumn(series: self) { $0.epoch(at: $1) } }
  /// Skipped-step counts as printed, `nil` where none was.
  public var skipped: SeriesColumn<Int?> { SeriesColumn(series: self) { $0.skipped(at: $1) } }
}
