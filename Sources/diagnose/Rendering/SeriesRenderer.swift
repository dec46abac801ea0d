import Analysis
import LogParse

/// Writes series rows in one output format.
///
/// A row is a training record with the numbering ``SeriesBuilder/number(_:)`` gave it, read where
/// the record is: a ``SeriesRow`` would copy every value once more per row.
protocol SeriesRenderer {
  /// Called once before any row.
  mutating func begin(into output: inout OutputBuffer)
  /// Called before the rows of each input.
  mutating func startSource(_ source: String)
  mutating func write(_ record: borrowing TrainingStep, _ numbering: RowNumbering, into output: inout OutputBuffer)
}
