import Foundation
import Testing

@testable import diagnose

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// What the HTML report must hold: charts with the findings on them, no network, evidence quoted.
@Suite("report --format html")
struct ReportHTMLTests {
  static func page(_ arguments: [String]) throws -> (DiagnoseProcess.Result, String) {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("diagnose-\(UUID().uuidString).html")
    defer { try? FileManager.default.removeItem(at: output) }
    let result = try DiagnoseProcess.run(["report", "--format", "html", "--output", output.path] + arguments)
    return (result, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
  }

  @Test("the diverging sample's page has its charts, its findings on the step axis, and quotes the log")
  func divergingSample() throws {
    let (result, page) = try Self.page(["SampleLogs/hf-pretrain-diverging.log"])
    #expect(result.status == 1)
    for title in ["loss", "grad_norm (log scale)", "learning rate", "eval loss"] {
      #expect(page.contains("<title>\(title)</title>"), "chart \(title)")
    }
    #expect(page.contains("smoothed (TensorBoard EMA, weight 0.6)"))
    #expect(page.contains("<title>step 240: loss_spike — loss 7.136 is 2.6×"))
    #expect(page.contains("<title>warm-up: steps 2–30</title>"))
    #expect(page.contains("<title>epoch 2: steps 300–600</title>"))
    #expect(page.contains("<title>loss not finite: steps 566–600</title>"))
    #expect(page.contains("max_grad_norm 1"))
    // The evidence line of the loss spike, quoted from the log (line 148).
    #expect(page.contains("SampleLogs/hf-pretrain-diverging.log:148: {&#39;loss&#39;: 7.1363"))
    // Settings with their arithmetic.
    #expect(
      page.contains(
        "world_size 2 = total_batch_size 64 ÷ (per_device_train_batch_size 8 × gradient_accumulation_steps 4)"))
    #expect(page.contains("Causes and suggestions"))
  }

  @Test("the page is self-contained: no scripts, no links or images fetched from elsewhere")
  func selfContained() throws {
    let (_, page) = try Self.page(ReportGoldenTests.samples)
    #expect(!page.contains("<script"))
    #expect(!page.contains("src="))
    #expect(!page.contains("<link"))
    #expect(!page.contains("url("))
    #expect(!page.contains("@import"))
  }

  @Test(
    "Python's html.parser reads the page with every element closed", .enabled(if: Python.available, "needs python3"))
  func pythonParser() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("diagnose-\(UUID().uuidString).html")
    defer { try? FileManager.default.removeItem(at: output) }
    _ = try DiagnoseProcess.run(["report", "--format", "html", "--output", output.path] + ReportGoldenTests.samples)
    let check = try Python.run(Python.balancedTagsScript, output.path)
    #expect(check.status == 0, "\(check.output)")
    #expect(check.output.contains("svg "), "counts the inline SVGs: \(check.output)")
  }

  @Test("a million-step run is drawn from the min/max series: the one-step spike sets the axis, the SVG stays small")
  func millionSteps() {
    var values = (0..<1_000_000).map { 2.0 + Double($0 % 7) * 0.01 }
    values[654_321] = 40
    var chart = LineChart(title: "loss", yLabel: "training loss", width: 1000)
    chart.series = [
      ChartSeries(name: "loss", points: values.enumerated().map { .init(x: Double($0), y: $1) }, color: "#000")
    ]
    let svg = chart.svg()
    #expect(svg.utf8.count < 120_000)
    #expect(svg.contains(">40</text>"), "a tick at 40 exists only if the spike reached the scale")
  }

  @Test("thousands of overflow marks merge into one tick per pixel, each with a tooltip")
  func rugsMerge() {
    var chart = LineChart(title: "fp16 loss scale", yLabel: "loss scale", width: 500, logarithmic: true)
    chart.series = [
      ChartSeries(name: "scale", points: [.init(x: 0, y: 65536), .init(x: 100_000, y: 1024)], color: "#000")
    ]
    chart.rugs = (0..<10_000).map { ChartRug(step: Double($0 * 10), label: "overflow at \($0 * 10)") }
    let svg = chart.svg()
    let ticks = svg.components(separatedBy: "<g class=\"rug\">")[1].components(separatedBy: "<line").count - 1
    #expect(ticks > 100 && ticks <= 440)
    #expect(svg.contains("overflow at 0 (+"))
    let parser = XMLParser(data: Data(svg.utf8))
    #expect(parser.parse())
  }

  @Test("log axes spanning under three decades get 2× and 5× ticks")
  func logTicks() {
    let scale = LogScale(covering: [0.45, 5.9], range: (0, 100))
    #expect(scale.ticks() == [0.5, 1, 2, 5])
  }
}

/// python3, when installed, to check the HTML with a second, independent parser.
enum Python {
  static let executable = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
  static var available: Bool { executable != nil }

  /// Parses the file with html.parser; fails on a closing tag that does not match the open one, or
  /// an element left open. Prints the element counts.
  static let balancedTagsScript = """
    import sys, collections
    from html.parser import HTMLParser
    VOID = {"meta", "br", "hr", "img", "input", "link"}
    class Check(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack, self.counts = [], collections.Counter()
        def handle_starttag(self, tag, attrs):
            self.counts[tag] += 1
            if tag not in VOID: self.stack.append((tag, self.getpos()))
        def handle_startendtag(self, tag, attrs):
            self.counts[tag] += 1
        def handle_endtag(self, tag):
            if not self.stack or self.stack[-1][0] != tag:
                sys.exit(f"line {self.getpos()[0]}: </{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            self.stack.pop()
    checker = Check()
    checker.feed(open(sys.argv[1], encoding="utf-8").read())
    checker.close()
    if checker.stack: sys.exit(f"left open: {checker.stack[-3:]}")
    print(" ".join(f"{tag} {n}" for tag, n in sorted(checker.counts.items())))
    """

  static func run(_ script: String, _ argument: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(executable))
    process.arguments = ["-c", script, argument]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
