import LogParse
import Testing

@testable import Analysis

/// One generic test runs every detector's own must-trigger and must-not-trigger examples.
@Suite("Detector examples")
struct DetectorExampleTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let detector: any Detector.Type
    let example: DetectorExample
    let triggers: Bool
    var testDescription: String {
      "\(detector.description.id): \(triggers ? "triggers on" : "stays silent on") \(example.name)"
    }
  }

  static let cases: [Case] = DetectorRegistry.all.flatMap { detector in
    detector.description.triggering.map { Case(detector: detector, example: $0, triggers: true) }
      + detector.description.nonTriggering.map { Case(detector: detector, example: $0, triggers: false) }
  }

  static func findings(_ example: DetectorExample, detector: any Detector.Type) -> [Finding] {
    var analyzer = RunAnalyzer(source: "example.log", detectors: [detector])
    for event in example.log.events { analyzer.add(event) }
    return analyzer.finish().flatMap(\.findings)
  }

  @Test("every detector has an id, a summary and both kinds of example")
  func descriptionsAreComplete() {
    var ids: Set<String> = []
    for detector in DetectorRegistry.all {
      let description = detector.description
      #expect(!description.summary.isEmpty)
      #expect(!description.triggering.isEmpty, "\(description.id) has no triggering example")
      #expect(!description.nonTriggering.isEmpty, "\(description.id) has no non-triggering example")
      #expect(ids.insert(description.id).inserted, "duplicate id \(description.id)")
      for example in description.triggering + description.nonTriggering {
        #expect(description.kinds.contains(example.kind))
      }
    }
  }

  @Test("the example behaves as documented", arguments: cases)
  func example(_ testCase: Case) {
    let example = testCase.example
    let found = Self.findings(example, detector: testCase.detector).filter {
      $0.kind == example.kind && $0.severity >= example.severity
    }
    if testCase.triggers {
      #expect(!found.isEmpty, "no \(example.kind.rawValue) finding of severity ≥ \(example.severity.rawValue)")
      if let step = example.step, let first = found.first {
        #expect(abs(first.step - step) <= example.tolerance, "found at step \(first.step), expected \(step)")
      }
    } else {
      #expect(found.isEmpty, "unexpected: \(found.map { "\($0.step): \($0.message)" })")
    }
  }
}
