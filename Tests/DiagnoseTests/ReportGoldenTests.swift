import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The Markdown and HTML reports of the sample logs, compared byte for byte with files in
/// `Tests/Golden/`. Re-record after an intended change with `DIAGNOSE_RECORD=1 swift test`.
@Suite("report golden files")
struct ReportGoldenTests {
  static let samples = ["SampleLogs/hf-sft-console.log", "SampleLogs/hf-pretrain-diverging.log"]
  static let goldenDirectory = DiagnoseProcess.packageRoot.appendingPathComponent("Tests/Golden")
  static var recording: Bool { ProcessInfo.processInfo.environment["DIAGNOSE_RECORD"] == "1" }

  /// Compares `actual` with the golden file, or records it; on a difference, names the first line.
  static func check(_ actual: String, against name: String) throws {
    let url = goldenDirectory.appendingPathComponent(name)
    if recording {
      try Data(actual.utf8).write(to: url)
      return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    guard expected != actual else { return }
    let (old, new) = (
      expected.split(separator: "\n", omittingEmptySubsequences: false),
      actual.split(separator: "\n", omittingEmptySubsequences: false)
    )
    let line = Array(zip(old, new)).firstIndex { $0 != $1 } ?? min(old.count, new.count)
    Issue.record(
      """
      \(name) differs at line \(line + 1) (re-record with DIAGNOSE_RECORD=1 if intended):
        golden: \(line < old.count ? String(old[line].prefix(300)) : "<end>")
        actual: \(line < new.count ? String(new[line].prefix(300)) : "<end>")
      """)
  }

  @Test("Markdown of the sample logs matches its golden file")
  func markdown() throws {
    let result = try DiagnoseProcess.run(["report", "--format", "markdown"] + Self.samples)
    #expect(result.status == 1, "the diverging sample has critical findings")
    try Self.check(result.stdout, against: "report-samples.md")
  }

  @Test("HTML of the sample logs matches its golden file and parses as XML")
  func html() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("diagnose-\(UUID().uuidString).html")
    defer { try? FileManager.default.removeItem(at: output) }
    let result = try DiagnoseProcess.run(["report", "--format", "html", "--output", output.path] + Self.samples)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty, "the page goes to --output, not standard output")
    let page = try String(contentsOf: output, encoding: .utf8)
    try Self.check(page, against: "report-samples.html")
    let parser = XMLParser(data: Data(page.utf8))
    #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
  }
}
