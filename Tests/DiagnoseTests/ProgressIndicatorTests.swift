import Foundation
import Testing

@testable import diagnose

@Suite("Progress indicator")
struct ProgressIndicatorTests {
  /// A clock the test moves by hand, and the text the indicator wrote.
  final class Terminal {
    var now = 100.0
    var written: [String] = []
  }

  func indicator(total: Int64?, isTerminal: Bool = true, enabled: Bool = true, _ terminal: Terminal)
    -> ProgressIndicator
  {
    ProgressIndicator(
      source: "train.log", total: total, isTerminal: isTerminal, enabled: enabled, clock: { terminal.now },
      write: { terminal.written.append($0) })
  }

  @Test("a large file on a terminal shows bytes, percent, MB/s and ETA, a few times a second, then is erased")
  func largeFileOnTerminal() {
    let terminal = Terminal()
    var progress = indicator(total: 1_000_000_000, terminal)
    #expect(progress.active)
    terminal.now += 0.1
    progress.update(bytes: 40_000_000)
    #expect(terminal.written.isEmpty, "nothing before the first redraw interval")
    terminal.now += 0.4
    progress.update(bytes: 250_000_000)
    #expect(terminal.written == ["\rdiagnose: train.log: 250 MB of 1000 MB (25 %), 500 MB/s, ETA 2 s\u{1B}[K"])
    terminal.now += 0.1
    progress.update(bytes: 300_000_000)
    #expect(terminal.written.count == 1, "no redraw within 0.25 s of the last")
    terminal.now += 0.3
    progress.update(bytes: 450_000_000)
    #expect(terminal.written.count == 2)
    progress.clear()
    #expect(terminal.written.last == "\r\u{1B}[K")
    #expect(!progress.visible)
    progress.clear()
    #expect(terminal.written.count == 3, "erasing twice writes once")
  }

  @Test("a pipe shows bytes read and MB/s, no percent or ETA, once 100 MB have passed")
  func pipe() {
    let terminal = Terminal()
    var progress = indicator(total: nil, terminal)
    #expect(progress.active)
    terminal.now += 1
    progress.update(bytes: 60_000_000)
    #expect(terminal.written.isEmpty)
    terminal.now += 1
    progress.update(bytes: 200_000_000)
    #expect(terminal.written == ["\rdiagnose: train.log: 200 MB read, 100 MB/s\u{1B}[K"])
  }

  @Test(
    "silent when standard error is not a terminal, with --no-progress, or for a small file",
    arguments: [(false, true, Int64(5_000_000_000)), (true, false, 5_000_000_000), (true, true, 50_000_000)])
  func silent(isTerminal: Bool, enabled: Bool, total: Int64) {
    let terminal = Terminal()
    var progress = indicator(total: total, isTerminal: isTerminal, enabled: enabled, terminal)
    #expect(!progress.active)
    for step in 1...40 {
      terminal.now += 0.5
      progress.update(bytes: Int64(step) * 100_000_000)
    }
    progress.clear()
    #expect(terminal.written.isEmpty)
  }

  @Test("durations read as seconds, then minutes and seconds")
  func durations() {
    #expect(ProgressIndicator.duration(0.2) == "1 s")
    #expect(ProgressIndicator.duration(59) == "59 s")
    #expect(ProgressIndicator.duration(185) == "3 min 5 s")
  }

  @Test("report, series and settings write nothing extra on standard error when it is not a terminal")
  func processIsSilent() throws {
    let url = try DiagnoseProcess.temporaryFile(ReportCommandTests.spikyLog())
    defer { try? FileManager.default.removeItem(at: url) }
    for arguments in [
      ["report", "--format", "json", "--fail-on", "never", url.path], ["series", url.path], ["settings", url.path],
      ["report", "--no-progress", "--fail-on", "never", url.path],
    ] {
      let result = try DiagnoseProcess.run(arguments)
      #expect(result.status == 0, "\(arguments)")
      #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
      #expect(!result.stdout.isEmpty)
    }
  }
}

@Suite("JSON text")
struct JSONTextTests {
  @Test("strings are escaped as JSON requires, other characters kept as they are")
  func escaping() {
    #expect(JSONText.string("plain loss 2.5") == "\"plain loss 2.5\"")
    #expect(JSONText.string("a \"q\" \\ b\nc\rd\te\u{1}f") == "\"a \\\"q\\\" \\\\ b\\nc\\rd\\te\\u0001f\"")
    #expect(JSONText.string("σ → 1.2× \u{1F}") == "\"σ → 1.2× \\u001f\"")
  }
}
