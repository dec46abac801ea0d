import Foundation
import Testing

@testable import diagnose

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite("SVG charts")
struct ChartTests {
  @Test("a single-step spike in a million points survives downsampling to a chart's width")
  func spikeSurvives() {
    var points = (0..<1_000_000).map { Downsampler.Point(x: Double($0), y: 2.0 + Double($0 % 7) * 0.01) }
    points[654_321].y = 40
    let reduced = Downsampler.minMax(points, buckets: 700)
    #expect(reduced.count <= 700 * 3 + 1)
    #expect(reduced.contains(Downsampler.Point(x: 654_321, y: 40)))
    #expect(reduced.first == points.first)
    #expect(reduced.last == points.last)
    #expect(zip(reduced, reduced.dropFirst()).allSatisfy { $0.x < $1.x })
  }

  @Test("NaN runs stay gaps after downsampling and in the path")
  func nanGaps() {
    var points = (0..<10_000).map { Downsampler.Point(x: Double($0), y: 1) }
    for index in 5_000..<5_010 { points[index].y = .nan }
    let reduced = Downsampler.minMax(points, buckets: 100)
    #expect(reduced.contains { $0.y.isNaN })
    let path = SVGPath.polyline([(0, 1), (1, 2), (2, .nan), (3, 4), (4, 5)])
    #expect(path == "M0 1L1 2M3 4L4 5")
  }

  @Test("linear ticks land on 1, 2, 5 × 10ⁿ; log ticks on powers of ten")
  func ticks() {
    let linear = LinearScale(domain: 0.13...2.9, range: (0, 100))
    #expect(linear.ticks(count: 5) == [0.5, 1.0, 1.5, 2.0, 2.5])
    #expect(LinearScale.niceStep(0.37) == 0.5)
    #expect(LinearScale.niceStep(130) == 100)
    #expect(LinearScale.niceStep(160) == 200)
    let log = LogScale(covering: [0.5, 3, 80, 2000], range: (0, 100))
    #expect(log.ticks() == [1, 10, 100, 1000])
    #expect(abs(linear(0.13) - 0) < 1e-9)
    #expect(abs(linear(2.9) - 100) < 1e-9)
  }

  @Test("TensorBoard smoothing: debiased, constant series unchanged, non-finite points passed through")
  func smoothing() {
    #expect(Smoothing.debiasedEMA([3, 3, 3], weight: 0.6) == [3, 3, 3])
    let smoothed = Smoothing.debiasedEMA([1, .nan, 2], weight: 0.5)
    #expect(smoothed[0] == 1)
    #expect(smoothed[1].isNaN)
    // last = (0.5·0.5 + 0.5·2) = 1.25 after two finite points; debias 1 − 0.25 = 0.75.
    #expect(abs(smoothed[2] - 1.25 / 0.75) < 1e-12)
  }

  @Test("a chart with bands, markers, a log axis and hostile labels is well-formed XML")
  func wellFormed() throws {
    var chart = LineChart(title: "grad_norm <log> & \"quotes\"", yLabel: "grad norm", logarithmic: true)
    chart.series = [
      ChartSeries(name: "grad_norm", points: (1...2000).map { .init(x: Double($0), y: $0 == 1500 ? 900 : 1 + Double($0 % 5)) }, color: "#2563eb"),
      ChartSeries(name: "clip", points: [.init(x: 1, y: 1), .init(x: 2000, y: 1)], color: "#9ca3af"),
    ]
    chart.markers = [ChartMarker(step: 1500, label: "step 1500: grad_norm_spike <critical>", severity: .critical)]
    chart.bands = [ChartBand(from: 1, to: 60, label: "warm-up (60 steps)")]
    let svg = chart.svg()
    let parser = XMLParser(data: Data(svg.utf8))
    #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    #expect(svg.contains("<title>step 1500: grad_norm_spike &lt;critical&gt;</title>"))
    #expect(svg.contains("warm-up (60 steps)"))
  }
}
