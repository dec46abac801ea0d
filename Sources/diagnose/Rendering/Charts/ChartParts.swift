/// A line on a chart.
struct ChartSeries {
  var name: String
  var points: [Downsampler.Point]
  var color: String
  var strokeWidth = 1.5
  var opacity = 1.0
  /// The points are already reduced to the chart's buckets (``LineChart/buckets``) by
  /// ``Downsampler``, from a series too long to hand over whole.
  var reduced = false
}

/// A finding placed on the step axis (a spike, divergence onset, NaN).
struct ChartMarker {
  enum Severity: String { case info, warning, critical }

  var step: Double
  var label: String
  var severity: Severity

  var color: String {
    switch severity {
    case .info: "#6b7280"
    case .warning: "#d97706"
    case .critical: "#dc2626"
    }
  }
}

/// A shaded span of steps (warm-up, an epoch).
struct ChartBand {
  var from: Double
  var to: Double
  var label: String
  var color = "#e5e7eb"
}

/// A short tick at the foot of the plot area: an event too frequent for a full marker (an fp16 overflow).
struct ChartRug {
  var step: Double
  var label: String
  var color = "#b91c1c"
}
