/// One chart panel as inline SVG: series over steps, with findings marked and spans shaded.
///
/// Long series are reduced with ``Downsampler`` to at most three points per two pixel columns, keeping minima
/// and maxima, so the file stays small and no spike is averaged away.
struct LineChart {
  var title: String
  var yLabel: String
  var xLabel = "optimizer step"
  var width = 760.0
  var height = 230.0
  var logarithmic = false
  var series: [ChartSeries] = []
  var markers: [ChartMarker] = []
  var bands: [ChartBand] = []
  var rugs: [ChartRug] = []
  /// The steps the x axis spans; by default those of the series and markers. Charts of one run
  /// share it so that they line up step for step.
  var xDomain: ClosedRange<Double>?

  private var frame: Axis.Frame {
    Axis.Frame(left: 64, top: 28, right: width - 16, bottom: height - 40)
  }

  /// A bucket per two pixels: first, minimum and maximum of each still show every spike, in half the bytes.
  var buckets: Int { Int((frame.right - frame.left) / 2) }

  func svg() -> String {
    let frame = self.frame
    let reduced = series.map { line in
      var copy = line
      if !line.reduced { copy.points = Downsampler.minMax(line.points, buckets: buckets) }
      return copy
    }
    let xs = reduced.flatMap { $0.points.map(\.x) } + markers.map(\.step)
    let xScale =
      xDomain.map { LinearScale(domain: $0, range: (frame.left, frame.right)) }
      ?? LinearScale(covering: xs, range: (frame.left, frame.right), padding: 0)
    let ys = reduced.flatMap { $0.points.map(\.y) }
    let yPosition: (Double) -> Double
    let yTicks: [Double]
    if logarithmic {
      let scale = LogScale(covering: ys, range: (frame.bottom, frame.top))
      yPosition = { scale($0) }
      yTicks = scale.ticks()
    } else {
      let scale = LinearScale(covering: ys, range: (frame.bottom, frame.top))
      yPosition = { scale($0) }
      yTicks = scale.ticks()
    }
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\""
      + " viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(SVGText.escape(title))\""
      + " font-family=\"system-ui, sans-serif\">"
    svg += "<title>\(SVGText.escape(title))</title>"
    svg += "<text x=\"\(SVGText.coordinate(frame.left))\" y=\"16\" font-size=\"13\" font-weight=\"600\" fill=\"#111827\">"
      + SVGText.escape(title) + "</text>"
    for band in bands {
      let from = max(frame.left, xScale(band.from))
      let to = min(frame.right, xScale(band.to))
      guard to > from else { continue }
      svg += "<rect x=\"\(SVGText.coordinate(from))\" y=\"\(SVGText.coordinate(frame.top))\""
        + " width=\"\(SVGText.coordinate(to - from))\" height=\"\(SVGText.coordinate(frame.bottom - frame.top))\""
        + " fill=\"\(band.color)\" opacity=\"0.6\"><title>\(SVGText.escape(band.label))</title></rect>"
    }
    svg += Axis.vertical(ticks: yTicks, position: yPosition, frame: frame, label: yLabel)
    svg += Axis.horizontal(ticks: xScale.ticks(count: 6), position: { xScale($0) }, frame: frame, label: xLabel)
    for line in reduced {
      let path = SVGPath.polyline(
        line.points.map { point in
          let y = logarithmic && point.y <= 0 ? Double.nan : point.y
          return (x: xScale(point.x), y: y.isFinite ? yPosition(y) : .nan)
        })
      guard !path.isEmpty else { continue }
      svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"\(line.strokeWidth)\""
        + " opacity=\"\(line.opacity)\" stroke-linejoin=\"round\"><title>\(SVGText.escape(line.name))</title></path>"
    }
    for marker in markers {
      let x = xScale(marker.step)
      svg += "<g class=\"marker \(marker.severity.rawValue)\"><title>\(SVGText.escape(marker.label))</title>"
      svg += Axis.line(x, frame.top, x, frame.bottom, marker.color)
      svg += "<path d=\"M\(SVGText.coordinate(x - 5)) \(SVGText.coordinate(frame.top - 8))L\(SVGText.coordinate(x + 5))"
        + " \(SVGText.coordinate(frame.top - 8))L\(SVGText.coordinate(x)) \(SVGText.coordinate(frame.top))Z\""
        + " fill=\"\(marker.color)\"/></g>"
    }
    svg += ChartRug.svg(rugs, xScale: xScale, frame: frame)
    if reduced.count > 1 {
      var x = frame.right
      for line in reduced.reversed() {
        let label = SVGText.escape(line.name)
        x -= Double(line.name.count) * 6.5 + 24
        svg += "<g font-size=\"11\" fill=\"#374151\">" + Axis.line(x, 12, x + 14, 12, line.color)
          + "<text x=\"\(SVGText.coordinate(x + 18))\" y=\"16\">\(label)</text></g>"
      }
    }
    return svg + "</svg>"
  }
}
