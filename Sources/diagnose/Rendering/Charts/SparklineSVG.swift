import Foundation

/// A small inline SVG of a series for a table cell: the loss at a glance, NaNs as red ticks.
///
/// Drawn on a log scale (an early high loss would flatten the rest) from the min/max downsampled
/// series, so that a spike shows even in a 120-pixel-wide picture.
enum SparklineSVG {
  static func render(steps: [Int], values: [Double], width: Double = 120, height: Double = 24, title: String) -> String
  {
    var points: [Downsampler.Point] = []
    points.reserveCapacity(values.count)
    var broken: [Double] = []
    for (step, value) in zip(steps, values) {
      if value.isFinite, value > 0 {
        points.append(.init(x: Double(step), y: log(value)))
      } else if value.isNaN || value.isInfinite {
        broken.append(Double(step))
      }
    }
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\""
      + " viewBox=\"0 0 \(Int(width)) \(Int(height))\" class=\"sparkline\"><title>\(SVGText.escape(title))</title>"
    let reduced = Downsampler.minMax(points, buckets: Int(width / 2))
    let xs = reduced.map(\.x) + broken
    let xScale = LinearScale(covering: xs, range: (1, width - 1), padding: 0)
    let yScale = LinearScale(covering: reduced.map(\.y), range: (height - 2, 2), padding: 0)
    let path = SVGPath.polyline(reduced.map { (x: xScale($0.x), y: yScale($0.y)) })
    if !path.isEmpty {
      svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"#2563eb\" stroke-width=\"1\"/>"
    }
    if let first = broken.first {
      let x = SVGText.coordinate(xScale(first))
      svg += "<line x1=\"\(x)\" y1=\"0\" x2=\"\(x)\" y2=\"\(Int(height))\" stroke=\"#dc2626\" stroke-width=\"2\"/>"
    }
    return svg + "</svg>"
  }
}
