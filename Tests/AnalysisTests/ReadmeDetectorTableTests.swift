import Foundation
import Testing

@testable import Analysis

@Suite("README")
struct ReadmeDetectorTableTests {
  @Test("the README's detector table lists every detector and every kind it finds")
  func detectorTable() throws {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    for detector in DetectorRegistry.all {
      let description = detector.description
      let row = text.split(separator: "\n").first { $0.hasPrefix("| `\(description.id)` |") }
      #expect(row != nil, "no README row for \(description.id)")
      for kind in description.kinds {
        #expect(row?.contains("`\(kind.rawValue)`") ?? false, "\(description.id) row lacks \(kind.rawValue)")
      }
    }
    for kind in FindingKind.allCases {
      #expect(
        text.contains(kind.rawValue) || [.resume, .restart].contains(kind), "README never names \(kind.rawValue)")
    }
  }
}
