import Analysis

/// Writes series rows in one output format.
protocol SeriesRenderer {
  /// Called once before any row.
  mutating func begin(into output: inout OutputBuffer)
  /// Called before the rows of each input.
  mutating func startSource(_ source: String)
  mutating func write(_ row: SeriesRow, into output: inout OutputBuffer)
}
