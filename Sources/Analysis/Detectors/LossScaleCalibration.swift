/// Tells the fp16 loss scaler's start-up search from trouble.
///
/// A normal fp16 start is a monotone run of halvings from the initial scale (2^16, or 2^32 with
/// `initial_scale_power` 32) until one fits (log-formats.md §2.4, `corpus/public/24`); overflows
/// "after the first few dozen steps" are the signal (stability.md §1.3). The start-up run is:
/// - with step numbers: overflows at steps ≤ ``limitSteps`` while no growth or gap has ended it;
/// - without: the run of overflows that begins before any loss is logged, until two logged records
///   pass without an overflow, the scale grows between two overflows, or steps jump by more than 2.
struct LossScaleCalibration: Sendable {
  /// stability.md §1.3: "OVERFLOW! lines after the first few dozen steps" signal trouble.
  static let limitSteps = 100

  enum Phase: Sendable { case notStarted, calibrating, ended }

  private(set) var phase = Phase.notStarted
  private var recordsWithLoss = 0
  private var recordsSinceOverflow = 0
  private var lastStep: Int?
  private var lastNewScale: Double?

  mutating func record(hasLoss: Bool) {
    guard hasLoss else { return }
    recordsWithLoss += 1
    recordsSinceOverflow += 1
    if phase == .calibrating, recordsSinceOverflow >= 2 { phase = .ended }
  }

  /// Classifies an overflow; true when it belongs to the start-up search.
  mutating func overflow(step: Int?, attempted: Double?, new: Double?) -> Bool {
    defer {
      recordsSinceOverflow = 0
      if let step { lastStep = step }
      if let new { lastNewScale = new }
    }
    switch phase {
    case .notStarted:
      let early = step.map { $0 <= Self.limitSteps } ?? (recordsWithLoss == 0)
      phase = early ? .calibrating : .ended
    case .calibrating:
      let grew = attempted.flatMap { a in lastNewScale.map { a > $0 } } ?? false
      let gap = step.flatMap { s in lastStep.map { s - $0 > 2 } } ?? false
      let late = step.map { $0 > Self.limitSteps } ?? false
      if grew || gap || late { phase = .ended }
    case .ended:
      break
    }
    return phase == .calibrating
  }

  /// A step-numbered skip count (Megatron's window count, DeepSpeed's cumulative one) at `step`.
  mutating func skips(atStep step: Int) -> Bool {
    if phase == .notStarted { phase = step <= Self.limitSteps ? .calibrating : .ended }
    if phase == .calibrating, step > Self.limitSteps { phase = .ended }
    return phase == .calibrating
  }
}
