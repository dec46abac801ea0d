/// Precision and recall per finding kind, and the error of `first_bad_step`, over labelled runs.
///
/// A finding counts when it is at least a warning (at least info for the informational kinds). It is
/// a true positive when an expected event of its kind starts within ``tolerance(for:loggingSteps:)``
/// steps of it, each expected event matched once; other findings are false positives, unless the
/// run ignores their kind; unmatched expected events are false negatives.
public struct EvaluationScore: Sendable {
  public struct Counts: Sendable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0

    public var precision: Double? {
      truePositives + falsePositives == 0 ? nil : Double(truePositives) / Double(truePositives + falsePositives)
    }
    public var recall: Double? {
      truePositives + falseNegatives == 0 ? nil : Double(truePositives) / Double(truePositives + falseNegatives)
    }
  }

  /// One run's outcome.
  public struct Outcome: Sendable {
    public var name: String
    public var expectedVerdict: Verdict
    public var verdict: Verdict
    public var expectedFirstBadStep: Int?
    public var firstBadStep: Int?
    public var loggingSteps: Int
    public var firstBadStepTolerance: Int
    /// Critical findings (for "no critical finding on a healthy run").
    public var criticalKinds: [FindingKind]
    public var missed: [LabelledRun.Expected]
    public var spurious: [Finding]

    /// |found − expected| when both exist.
    public var firstBadStepError: Int? {
      guard let expected = expectedFirstBadStep, let found = firstBadStep else { return nil }
      return abs(found - expected)
    }
  }

  public private(set) var counts: [FindingKind: Counts] = [:]
  public private(set) var outcomes: [Outcome] = []

  public init() {}

  /// How far a finding may start from the expected step and still match: spikes and NaN within one
  /// logged step (plus one for co-spikes that lead), a divergence's onset within five.
  public static func tolerance(for kind: FindingKind, loggingSteps: Int) -> Int {
    switch kind {
    case .divergence: 5 * loggingSteps
    case .clipSaturation: 30 * loggingSteps
    default: 2 * loggingSteps
    }
  }

  static let informational: Set<FindingKind> = [.epochBoundary, .resume, .restart, .warmupEnd]

  public mutating func add(_ run: LabelledRun, diagnoses: [RunDiagnosis]) {
    let findings = diagnoses.flatMap(\.findings).filter {
      $0.severity >= (Self.informational.contains($0.kind) ? .info : .warning)
    }
    var unmatched = run.expected
    var spurious: [Finding] = []
    for finding in findings {
      let tolerance = Self.tolerance(for: finding.kind, loggingSteps: run.loggingSteps)
      if let match = unmatched.firstIndex(where: { $0.kind == finding.kind && abs($0.step - finding.step) <= tolerance }
      ) {
        unmatched.remove(at: match)
        counts[finding.kind, default: Counts()].truePositives += 1
      } else if !run.ignored.contains(finding.kind) {
        counts[finding.kind, default: Counts()].falsePositives += 1
        spurious.append(finding)
      }
    }
    for missed in unmatched { counts[missed.kind, default: Counts()].falseNegatives += 1 }
    let verdict = diagnoses.map(\.verdict).max { Self.rank($0) < Self.rank($1) } ?? .noData
    outcomes.append(
      Outcome(
        name: run.name, expectedVerdict: run.verdict, verdict: verdict, expectedFirstBadStep: run.firstBadStep,
        firstBadStep: diagnoses.compactMap(\.firstBadStep).min(), loggingSteps: run.loggingSteps,
        firstBadStepTolerance: run.firstBadStepTolerance,
        criticalKinds: findings.filter { $0.severity == .critical }.map(\.kind), missed: unmatched,
        spurious: spurious))
  }

  static func rank(_ verdict: Verdict) -> Int {
    switch verdict {
    case .noData: 0
    case .healthy: 1
    case .unstable: 2
    case .diverged: 3
    }
  }

  /// A plain-text table: per kind precision and recall, then the first-bad-step errors and verdicts.
  public var table: String {
    var lines = ["kind                   TP   FP   FN  precision  recall"]
    for kind in FindingKind.allCases {
      guard let count = counts[kind] else { continue }
      let name = kind.rawValue + String(repeating: " ", count: max(0, 21 - kind.rawValue.count))
      lines.append(
        "\(name) \(pad(count.truePositives)) \(pad(count.falsePositives)) \(pad(count.falseNegatives))  "
          + "\(percent(count.precision))     \(percent(count.recall))")
    }
    let errors = outcomes.compactMap(\.firstBadStepError)
    let withinOne = outcomes.filter { outcome in outcome.firstBadStepError.map { $0 <= outcome.loggingSteps } ?? false }
    let verdictsRight = outcomes.filter { $0.verdict == $0.expectedVerdict }.count
    lines.append(
      "first_bad_step: \(errors.count) runs with both, max error \(errors.max() ?? 0) steps, mean "
        + "\(Format.fixed(errors.isEmpty ? 0 : Double(errors.reduce(0, +)) / Double(errors.count), 2)), "
        + "\(withinOne.count) within one logged step")
    lines.append("verdicts right: \(verdictsRight) of \(outcomes.count)")
    for outcome in outcomes
    where outcome.verdict != outcome.expectedVerdict || !outcome.missed.isEmpty || !outcome.spurious.isEmpty
      || (outcome.firstBadStepError ?? 0) > outcome.loggingSteps
    {
      var line = "  \(outcome.name): verdict \(outcome.verdict.rawValue) (expected \(outcome.expectedVerdict.rawValue))"
      if let error = outcome.firstBadStepError, error > 0 { line += ", first_bad_step off by \(error)" }
      if !outcome.missed.isEmpty { line += ", missed \(outcome.missed.map { "\($0.kind.rawValue)@\($0.step)" })" }
      if !outcome.spurious.isEmpty {
        line += ", unexpected \(outcome.spurious.map { "\($0.kind.rawValue)@\($0.step)" })"
      }
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }

  private func pad(_ value: Int) -> String {
    let text = String(value)
    return String(repeating: " ", count: max(0, 4 - text.count)) + text
  }

  private func percent(_ value: Double?) -> String {
    guard let value else { return "    –" }
    let text = Format.fixed(value * 100, 1)
    return String(repeating: " ", count: max(0, 5 - text.count)) + text
  }
}
