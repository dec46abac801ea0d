#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Hindsight for spikes: when, if ever, a series came back under a level.
enum SpikeRecovery {
  /// Points needed after a spike to say it never recovered.
  static let minimumPointsAfter = 10

  /// The first step after `endStep` whose value is at or below `limitLog` (log units), and the class.
  static func classify(_ values: SeriesColumn<Double>, in series: RunSeries, after endStep: Int, limitLog: Double) -> (
    recovery: Recovery, step: Int?
  ) {
    let first = series.firstIndex(atOrAfter: endStep + 1)
    for index in first..<values.count {
      if let value = RunSeries.value(values[index]), value.isFinite, value > 0, log(value) <= limitLog {
        let distance = series.steps[index] - endStep
        return (distance <= Recovery.fastLimitSteps ? .fast : .slow, series.steps[index])
      }
    }
    return (values.count - first >= minimumPointsAfter ? .never : .unknown, nil)
  }
}
