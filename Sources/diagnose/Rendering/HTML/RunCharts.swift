import Analysis

/// The charts of one run: loss (raw and TensorBoard-smoothed), grad_norm on a log scale, learning
/// rate, the fp16 loss scale with its overflows, eval loss; each only when the log printed it.
///
/// Findings are marked on the chart of their metric (anything else on the loss chart); warm-up and
/// every other epoch are shaded on all of them, so the pictures line up step for step.
struct RunCharts {
  var run: ReportedRun
  var width = 1000.0

  /// TensorBoard's default smoothing weight, shown in the legend (stability.md §3.2).
  static let smoothingWeight = Smoothing.tensorBoardDefaultWeight

  /// Columns are read in place and reduced to each chart's buckets as they are read: arrays of a
  /// million-step run's values and points cost over 100 MB at the report's peak.
  func charts() -> [LineChart] {
    let series = run.diagnosis.series
    let steps = series.steps.lazy.map(Double.init)
    let bands = self.bands()
    var charts: [LineChart] = []

    let losses = series.losses.lazy.map { RunSeries.value($0) ?? .nan }
    if losses.contains(where: { !$0.isNaN }) || !run.alarming.isEmpty {
      var chart = chart("loss", yLabel: "training loss", bands: bands)
      chart.series = [
        ChartSeries(
          name: "loss", points: points(steps, losses, for: chart), color: "#93c5fd", strokeWidth: 1, reduced: true),
        ChartSeries(
          name: "smoothed (TensorBoard EMA, weight \(ShortNumber.format(Self.smoothingWeight)))",
          points: points(steps, Smoothing.debiasedEMA(lazy: losses, weight: Self.smoothingWeight), for: chart),
          color: "#1d4ed8", strokeWidth: 1.8, reduced: true),
      ]
      chart.markers = markers { !["grad_norm", "learning_rate", "loss_scale", "skipped"].contains($0.metric) }
      charts.append(chart)
    }

    let gradNorms = series.gradNorms.lazy.map { RunSeries.value($0) ?? .nan }
    if gradNorms.contains(where: { $0.isFinite }) {
      var chart = chart("grad_norm (log scale)", yLabel: "gradient norm (L2)", bands: bands)
      chart.logarithmic = true
      chart.series = [
        ChartSeries(
          name: "grad_norm", points: points(steps, gradNorms, for: chart), color: "#7c3aed", strokeWidth: 1.2,
          reduced: true)
      ]
      if let clip = run.settings.double(.maxGradNorm), clip > 0, let first = steps.first, let last = steps.last {
        chart.series.append(
          ChartSeries(
            name: "max_grad_norm \(ShortNumber.format(clip))",
            points: [.init(x: first, y: clip), .init(x: last, y: clip)],
            color: "#9ca3af", strokeWidth: 1))
      }
      chart.markers = markers { $0.metric == "grad_norm" }
      charts.append(chart)
    }

    let rates = series.learningRates.lazy.map { RunSeries.value($0) ?? .nan }
    if rates.contains(where: { $0.isFinite }) {
      var chart = chart("learning rate", yLabel: "learning rate", bands: bands)
      chart.series = [
        ChartSeries(name: "learning_rate", points: points(steps, rates, for: chart), color: "#059669", reduced: true)
      ]
      chart.markers = markers { $0.metric == "learning_rate" }
      charts.append(chart)
    }

    if let chart = lossScaleChart(series, steps: steps, bands: bands) { charts.append(chart) }

    let evalLosses = series.evalLosses.map { RunSeries.value($0) ?? .nan }
    if evalLosses.contains(where: { $0.isFinite }) {
      var chart = chart("eval loss", yLabel: "evaluation loss", bands: bands)
      chart.series = [
        ChartSeries(
          name: "eval_loss", points: zip(series.evalSteps.map(Double.init), evalLosses).map(Downsampler.Point.init),
          color: "#ea580c")
      ]
      charts.append(chart)
    }
    return charts
  }

  private func chart(_ title: String, yLabel: String, bands: [ChartBand]) -> LineChart {
    var chart = LineChart(title: title, yLabel: yLabel, width: width)
    chart.bands = bands
    if let first = run.diagnosis.firstStep, let last = run.diagnosis.lastStep, last > first {
      chart.xDomain = Double(first)...Double(last)
    }
    return chart
  }

  /// The points of `values` over `steps`, reduced to `chart`'s buckets as they are read.
  private func points<Steps: Collection<Double>, Values: Sequence<Double>>(
    _ steps: Steps, _ values: Values, for chart: LineChart
  ) -> [Downsampler.Point] {
    Downsampler.minMax(
      zip(steps, values).lazy.map { Downsampler.Point(x: $0, y: $1) }, count: steps.count, buckets: chart.buckets)
  }

  private func markers(where include: (Finding) -> Bool) -> [ChartMarker] {
    run.alarming.filter(include).map { finding in
      ChartMarker(
        step: Double(finding.step), label: "step \(finding.step): \(finding.kind.rawValue) — \(finding.message)",
        severity: finding.severity == .critical ? .critical : .warning)
    }
  }

  /// The fp16 loss scale, from the records that print it (Megatron) or else from the overflow
  /// messages (DeepSpeed: the scale holds between them), with a tick at each overflow. A scale that
  /// never moves from 1 is bf16 or fp32, which do not scale: no chart.
  private func lossScaleChart<Steps: BidirectionalCollection<Double>>(
    _ series: RunSeries, steps: Steps, bands: [ChartBand]
  ) -> LineChart? {
    let printed = series.lossScales.lazy.map { RunSeries.value($0) ?? .nan }
    let buckets = LineChart(title: "", yLabel: "", width: width).buckets
    var points = Downsampler.minMax(
      zip(steps, printed).lazy.filter { $1.isFinite }.map { Downsampler.Point(x: $0, y: $1) },
      count: printed.lazy.filter(\.isFinite).count, buckets: buckets)
    var printedPoints = !points.isEmpty
    var rugs = overflows(steps: series.steps, scales: printed)
    if !series.overflowSteps.isEmpty {
      rugs = []
      var fromMessages: [Downsampler.Point] = []
      for index in series.overflowSteps.indices {
        let step = Double(series.overflowSteps[index])
        let tried = RunSeries.value(series.overflowAttemptedScales[index])
        let next = RunSeries.value(series.overflowNewScales[index])
        if let tried { fromMessages.append(.init(x: step, y: tried)) }
        if let next { fromMessages.append(.init(x: step, y: next)) }
        let change = tried.map {
          "scale \(ShortNumber.format($0))" + (next.map { " → \(ShortNumber.format($0))" } ?? "")
        }
        rugs.append(
          ChartRug(
            step: step, label: "step \(series.overflowSteps[index]): overflow" + (change.map { ", \($0)" } ?? "")))
      }
      if points.isEmpty {
        printedPoints = false
        points = fromMessages
        if let last = fromMessages.last, let end = steps.last, end > last.x { points.append(.init(x: end, y: last.y)) }
      }
    }
    guard !points.isEmpty || !rugs.isEmpty, points.contains(where: { $0.y != 1 }) || !rugs.isEmpty else { return nil }
    var chart = chart("fp16 loss scale (log scale)", yLabel: "loss scale", bands: bands)
    chart.logarithmic = true
    chart.series =
      points.isEmpty ? [] : [ChartSeries(name: "loss scale", points: points, color: "#b45309", reduced: printedPoints)]
    chart.markers = markers { ["loss_scale", "skipped"].contains($0.metric) }
    chart.rugs = rugs
    return chart
  }

  /// Where the printed loss scale went down: each is an fp16 overflow (a skipped step).
  private func overflows<Steps: Sequence<Int>, Scales: Sequence<Double>>(steps: Steps, scales: Scales) -> [ChartRug] {
    var rugs: [ChartRug] = []
    var previous: Double?
    for (step, scale) in zip(steps, scales) where scale.isFinite {
      if let previous, scale < previous {
        rugs.append(
          ChartRug(
            step: Double(step),
            label: "step \(step): overflow, scale \(ShortNumber.format(previous)) → \(ShortNumber.format(scale))"))
      }
      previous = scale
    }
    return rugs
  }

  /// Warm-up, and every other epoch, from the milestone findings.
  private func bands() -> [ChartBand] {
    let diagnosis = run.diagnosis
    guard let first = diagnosis.firstStep, let last = diagnosis.lastStep else { return [] }
    var bands: [ChartBand] = []
    if let warmup = diagnosis.findings.first(where: { $0.kind == .warmupEnd }) {
      bands.append(
        ChartBand(
          from: Double(first), to: Double(warmup.step), label: "warm-up: steps \(first)–\(warmup.step)",
          color: "#fde68a"))
    }
    for nan in diagnosis.findings where nan.kind == .nan && nan.severity == .critical {
      bands.append(
        ChartBand(
          from: Double(nan.step), to: Double(max(nan.endStep, nan.step + 1)),
          label: "\(nan.metric) not finite: steps \(nan.step)–\(nan.endStep)", color: "#fecaca"))
    }
    let boundaries = diagnosis.findings.filter { $0.kind == .epochBoundary }.map(\.step).filter { $0 < last }
    let edges = [first] + boundaries + [last]
    for index in 0..<(edges.count - 1) where index % 2 == 1 {
      bands.append(
        ChartBand(
          from: Double(edges[index]), to: Double(edges[index + 1]),
          label: "epoch \(index + 1): steps \(edges[index])–\(edges[index + 1])", color: "#e0e7ff"))
    }
    return bands
  }
}
