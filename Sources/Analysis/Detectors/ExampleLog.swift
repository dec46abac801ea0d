public import LogParse

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A synthetic training log with known, injected events: the detectors' examples and the labelled
/// evaluation are built from it.
///
/// The healthy curve is `floor + (start − floor)·exp(−step/decaySteps)` with log-normal noise of
/// `noise` (σ of log loss); grad-norm is log-normal around `gradNorm`; the lr warms up linearly and
/// then follows a cosine. Injections change that curve at chosen steps. The same seed gives the same
/// log, so every example is reproducible.
public struct ExampleLog: Sendable {
  /// An event injected into the healthy curve.
  public enum Injection: Sendable {
    /// Loss × `factor` at `step`, decaying back to normal over `recoverySteps` (0: one point).
    /// `gradFactor` multiplies grad-norm at the step before (grad-norm leads, stability.md §0.1).
    case spike(step: Int, factor: Double, recoverySteps: Int = 0, gradFactor: Double? = nil)
    /// From `step` on, log(loss) rises by `logSlope` a step and never comes back.
    case divergence(step: Int, logSlope: Double)
    /// From `step` on the run is NaN. With HF's `logging_nan_inf_filter` (the default) the NaN step
    /// loss is replaced by the running average at the first NaN step and reads 0.0 after; grad-norm
    /// reads nan. Without the filter both read nan. `megatron`: the loss is not printed at all.
    case nan(step: Int, filter: Bool)
    /// At every multiple of `stepsPerEpoch` the loss level drops by `factor` (repeated data).
    case epochs(stepsPerEpoch: Int, dropFactor: Double)
    /// At `step` the log shows a resume boundary and steps restart from `fromStep` (≤ `step`).
    case resume(step: Int, fromStep: Int)
    /// fp16 overflow lines: a start-up halving run of `calibration` lines from 2^`initialPower`,
    /// then one halving at each step in `late`.
    case overflows(initialPower: Int, calibration: Int, late: [Int])
    /// The fatal "already at minimum" at `step`.
    case minimumScale(step: Int)
    /// Grad-norm × `factor` from `step` on (clip saturation when above `max_grad_norm`).
    case gradNormLevel(step: Int, factor: Double)
    /// grad-norm reads inf at `step` only (an fp16 overflow step the scaler skipped).
    case infiniteGradNorm(step: Int)
    /// A setting line at the start.
    case setting(String, SettingValue)
  }

  public var steps: Int
  public var seed: UInt64 = 1
  public var start = 4.0
  public var floor = 2.0
  public var decaySteps = 150.0
  public var noise = 0.03
  public var gradNorm = 0.8
  public var gradNoise = 0.15
  public var peakLearningRate = 1e-4
  public var warmupSteps = 0
  public var loggingSteps = 1
  /// Megatron-style records that print their iteration number; HF dicts do not.
  public var megatron = false
  /// The loss scale Megatron prints on each line (1.0 under bf16), when set.
  public var lossScale: Double?
  /// transformers < 4.38 printed no grad_norm.
  public var printsGradNorm = true
  public var injections: [Injection] = []

  public init(steps: Int, seed: UInt64 = 1, noise: Double = 0.03, warmupSteps: Int = 0, injections: [Injection] = []) {
    self.steps = steps
    self.seed = seed
    self.noise = noise
    self.warmupSteps = warmupSteps
    self.injections = injections
  }

  /// The log as events, in order, one line each.
  public var events: [LogEvent] {
    var generator = SplitMix(seed: seed)
    var events: [LogEvent] = []
    var line = 0
    func next() -> SourceLocation {
      line += 1
      return SourceLocation(line: line, offset: Int64(line) * 100)
    }
    for injection in injections {
      if case .setting(let name, let value) = injection {
        events.append(.setting(SettingEvent(location: next(), name: name, value: value, source: .hfTrainingArguments)))
      }
    }
    if loggingSteps > 1 {
      events.append(
        .setting(
          SettingEvent(location: next(), name: "logging_steps", value: .int(loggingSteps), source: .hfTrainingArguments)
        ))
    }
    var overflowLate: Set<Int> = []
    var scale = 65536.0
    for case .overflows(let power, let calibration, let late) in injections {
      scale = Double(1 << power)
      for _ in 0..<calibration {
        events.append(
          .overflow(OverflowEvent(location: next(), kind: .reduced, attemptedScale: scale, newScale: scale / 2)))
        scale /= 2
      }
      overflowLate = Set(late)
    }
    var levelShift = 0.0
    var runningLoss = 0.0
    var runningCount = 0
    var nanSteps = 0
    var step = 1
    while step <= steps {
      for case .resume(let at, let from) in injections where at == step {
        events.append(.runBoundary(RunBoundary(location: next(), kind: .resume, fromStep: from)))
      }
      for case .epochs(let perEpoch, let drop) in injections where step > 1 && (step - 1) % perEpoch == 0 {
        levelShift += log(drop)
      }
      let baseLog = log(floor + (start - floor) * exp(-Double(step) / decaySteps)) + levelShift
      var logLoss = baseLog + noise * generator.normal()
      var logGrad = log(gradNorm) + gradNoise * generator.normal()
      var nan = false
      var filter = true
      for injection in injections {
        switch injection {
        case .spike(let at, let factor, let recovery, let gradFactor):
          if step == at { logLoss += log(factor) }
          if recovery > 0, step > at, step <= at + recovery {
            logLoss += log(factor) * (1 - Double(step - at) / Double(recovery + 1))
          }
          if let gradFactor, step == at - 1 || step == at { logGrad += log(gradFactor) }
        case .divergence(let at, let slope):
          if step >= at { logLoss += slope * Double(step - at + 1) }
        case .nan(let at, let withFilter):
          if step >= at { (nan, filter) = (true, withFilter) }
        case .gradNormLevel(let at, let factor):
          if step >= at { logGrad += log(factor) }
        default: break
        }
      }
      if overflowLate.contains(step) {
        events.append(
          .overflow(OverflowEvent(location: next(), kind: .reduced, attemptedScale: scale, newScale: scale / 2)))
        scale /= 2
      }
      for case .minimumScale(let at) in injections where at == step {
        events.append(.overflow(OverflowEvent(location: next(), kind: .minimumReached)))
      }
      let lr = learningRate(at: step)
      if step % loggingSteps == 0 {
        var loss: Double? = exp(logLoss)
        var grad: Double? = exp(logGrad)
        for case .infiniteGradNorm(let at) in injections where at == step { grad = .infinity }
        if !printsGradNorm { grad = nil }
        if nan {
          nanSteps += 1
          grad = printsGradNorm ? .nan : nil
          if megatron {
            loss = nil
          } else if !filter {
            loss = .nan
          } else {
            loss = nanSteps == 1 && runningCount > 0 ? runningLoss / Double(runningCount) : 0.0
          }
        } else {
          runningLoss += exp(logLoss)
          runningCount += 1
        }
        let epoch = injections.lazy.compactMap { injection -> Double? in
          if case .epochs(let perEpoch, _) = injection { return Double(step) / Double(perEpoch) }
          return nil
        }.first
        events.append(
          .trainingStep(
            TrainingStep(
              location: next(), format: megatron ? .megatronIteration : .huggingFaceDict, step: megatron ? step : nil,
              epoch: epoch, loss: loss, gradNorm: grad, learningRate: lr, lossScale: lossScale,
              nanIterations: megatron ? (nan ? loggingSteps : 0) : nil)))
      }
      step += 1
    }
    return events
  }

  func learningRate(at step: Int) -> Double {
    if step <= warmupSteps { return peakLearningRate * Double(step) / Double(warmupSteps) }
    let progress = Double(step - warmupSteps) / Double(max(1, steps - warmupSteps))
    return peakLearningRate * 0.5 * (1 + cos(Double.pi * progress))
  }
}

/// SplitMix64: a tiny deterministic generator, so that examples do not depend on the platform's RNG.
struct SplitMix {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / Double(1 << 53) }

  /// A standard normal draw (Box–Muller).
  mutating func normal() -> Double {
    sqrt(-2 * log(uniform())) * cos(2 * Double.pi * uniform())
  }
}
