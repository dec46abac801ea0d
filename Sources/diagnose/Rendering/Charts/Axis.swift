import Analysis

/// Axis lines, ticks, grid lines and labels for a chart's plot area.
enum Axis {
  struct Frame {
    var left: Double
    var top: Double
    var right: Double
    var bottom: Double
  }

  static func horizontal(ticks: [Double], position: (Double) -> Double, frame: Frame, label: String) -> String {
    var svg = "<g class=\"axis x\" font-size=\"11\" fill=\"#374151\">"
    svg += line(frame.left, frame.bottom, frame.right, frame.bottom, "#9ca3af")
    for tick in ticks {
      let x = position(tick)
      guard x >= frame.left - 0.5, x <= frame.right + 0.5 else { continue }
      svg += line(x, frame.bottom, x, frame.bottom + 4, "#9ca3af")
      svg += "<text x=\"\(SVGText.coordinate(x))\" y=\"\(SVGText.coordinate(frame.bottom + 16))\" text-anchor=\"middle\">"
        + SVGText.escape(ShortNumber.format(tick)) + "</text>"
    }
    svg += "<text x=\"\(SVGText.coordinate((frame.left + frame.right) / 2))\" y=\"\(SVGText.coordinate(frame.bottom + 30))\""
      + " text-anchor=\"middle\">\(SVGText.escape(label))</text>"
    return svg + "</g>"
  }

  static func vertical(ticks: [Double], position: (Double) -> Double, frame: Frame, label: String) -> String {
    var svg = "<g class=\"axis y\" font-size=\"11\" fill=\"#374151\">"
    svg += line(frame.left, frame.top, frame.left, frame.bottom, "#9ca3af")
    for tick in ticks {
      let y = position(tick)
      guard y >= frame.top - 0.5, y <= frame.bottom + 0.5 else { continue }
      svg += line(frame.left, y, frame.right, y, "#f3f4f6")
      svg += line(frame.left - 4, y, frame.left, y, "#9ca3af")
      svg += "<text x=\"\(SVGText.coordinate(frame.left - 6))\" y=\"\(SVGText.coordinate(y + 4))\" text-anchor=\"end\">"
        + SVGText.escape(ShortNumber.format(tick)) + "</text>"
    }
    let middle = SVGText.coordinate((frame.top + frame.bottom) / 2)
    svg += "<text x=\"12\" y=\"\(middle)\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(middle))\">"
      + SVGText.escape(label) + "</text>"
    return svg + "</g>"
  }

  static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ color: String) -> String {
    "<line x1=\"\(SVGText.coordinate(x1))\" y1=\"\(SVGText.coordinate(y1))\" x2=\"\(SVGText.coordinate(x2))\""
      + " y2=\"\(SVGText.coordinate(y2))\" stroke=\"\(color)\" stroke-width=\"1\"/>"
  }
}
