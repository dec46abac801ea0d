/// Rug ticks as SVG: one short line per event along the plot's foot, with its tooltip.
///
/// Thousands of overflows would make as many elements; ticks closer than a pixel are merged into
/// one whose tooltip counts them, so the file stays small and every event stays visible.
extension ChartRug {
  static func svg(_ rugs: [ChartRug], xScale: LinearScale, frame: Axis.Frame) -> String {
    guard !rugs.isEmpty else { return "" }
    var svg = "<g class=\"rug\">"
    var merged: [(x: Double, first: ChartRug, count: Int)] = []
    for rug in rugs.sorted(by: { $0.step < $1.step }) {
      let x = xScale(rug.step)
      guard x >= frame.left - 0.5, x <= frame.right + 0.5 else { continue }
      if let last = merged.last, x - last.x < 1 {
        merged[merged.count - 1].count += 1
      } else {
        merged.append((x, rug, 1))
      }
    }
    for (x, first, count) in merged {
      let label = count > 1 ? "\(first.label) (+\(count - 1) more here)" : first.label
      svg +=
        "<line x1=\"\(SVGText.coordinate(x))\" y1=\"\(SVGText.coordinate(frame.bottom - 8))\""
        + " x2=\"\(SVGText.coordinate(x))\" y2=\"\(SVGText.coordinate(frame.bottom))\" stroke=\"\(first.color)\""
        + " stroke-width=\"2\"><title>\(SVGText.escape(label))</title></line>"
    }
    return svg + "</g>"
  }
}
