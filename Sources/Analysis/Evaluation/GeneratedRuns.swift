/// The generated half of the labelled evaluation: logs with injected events of chosen size.
///
/// Healthy runs with noisy loss (σ of log loss 2–10 %), with and without warm-up and epochs; spikes
/// of 2–10× with fast, slow and no recovery; slow and fast divergence; NaN onset behind HF's
/// `logging_nan_inf_filter`, without it, and Megatron's missing loss; overflow storms and the benign
/// start-up calibration; resumes. Seeds vary so that no threshold is tuned to one noise draw.
public enum GeneratedRuns {
  public static func all() -> [LabelledRun] {
    healthy() + spikes() + divergences() + nans() + overflows() + resumes()
  }

  static func healthy() -> [LabelledRun] {
    var runs: [LabelledRun] = []
    for (index, noise) in [0.02, 0.04, 0.06, 0.08, 0.10].enumerated() {
      for seed in 1...4 {
        let log = ExampleLog(
          steps: 800, seed: UInt64(100 * index + seed), noise: noise, warmupSteps: seed % 2 == 0 ? 50 : 0)
        var expected: [LabelledRun.Expected] = []
        if log.warmupSteps > 0 { expected.append(.init(.warmupEnd, at: log.warmupSteps)) }
        runs.append(
          LabelledRun(
            name: "healthy noise \(noise) seed \(seed)", events: log.events, expected: expected, verdict: .healthy,
            firstBadStep: nil))
      }
    }
    for (index, drop) in [0.5, 0.7, 0.85].enumerated() {
      let log = ExampleLog(
        steps: 900, seed: UInt64(500 + index), noise: 0.05, injections: [.epochs(stepsPerEpoch: 300, dropFactor: drop)])
      runs.append(
        LabelledRun(
          name: "epoch drops ×\(drop)", events: log.events,
          expected: [.init(.epochBoundary, at: 300), .init(.epochBoundary, at: 600), .init(.epochBoundary, at: 900)],
          verdict: .healthy,
          firstBadStep: nil))
    }
    return runs
  }

  static func spikes() -> [LabelledRun] {
    var runs: [LabelledRun] = []
    var seed: UInt64 = 1000
    for factor in [2.0, 3.0, 5.0, 10.0] {
      for (recovery, noise) in [(0, 0.03), (20, 0.05), (400, 0.03)] {
        seed += 1
        let step = 300 + Int(seed % 7) * 10
        let log = ExampleLog(
          steps: 800, seed: seed, noise: noise,
          injections: [.spike(step: step, factor: factor, recoverySteps: recovery, gradFactor: factor > 2 ? 4 : nil)])
        var expected: [LabelledRun.Expected] = [.init(.lossSpike, at: step)]
        if factor > 2 { expected.append(.init(.gradNormSpike, at: step - 1)) }
        runs.append(
          LabelledRun(
            name: "spike ×\(factor) recovery \(recovery) noise \(noise)", events: log.events, expected: expected,
            verdict: .unstable, firstBadStep: step, ignored: recovery > 100 ? [.divergence] : []))
      }
    }
    return runs
  }

  static func divergences() -> [LabelledRun] {
    var runs: [LabelledRun] = []
    var seed: UInt64 = 2000
    for slope in [0.004, 0.01, 0.03, 0.3] {
      for (step, noise) in [(250, 0.03), (420, 0.05), (2, 0.03)] where !(step == 2 && slope < 0.03) {
        seed += 1
        let log = ExampleLog(
          steps: 600, seed: seed, noise: noise, injections: [.divergence(step: step, logSlope: slope)])
        runs.append(
          LabelledRun(
            name: "divergence slope \(slope) from \(step) noise \(noise)", events: log.events,
            expected: [.init(.divergence, at: step)], verdict: .diverged, firstBadStep: step,
            ignored: [.lossSpike, .gradNormSpike],
            // The steps the drift needs to rise by one noise σ: no estimator can place the onset
            // more finely than that.
            firstBadStepTolerance: max(1, Int((noise / slope).rounded(.up)))))
      }
    }
    return runs
  }

  static func nans() -> [LabelledRun] {
    var runs: [LabelledRun] = []
    for (index, (filter, megatron)) in [(true, false), (false, false), (true, true)].enumerated() {
      for step in [37, 200, 455] {
        var log = ExampleLog(steps: 500, seed: UInt64(3000 + 10 * index + step), noise: 0.04)
        log.injections = [.nan(step: step, filter: filter)]
        log.megatron = megatron
        let name = megatron ? "Megatron no lm loss" : filter ? "NaN behind HF's filter" : "NaN without filter"
        runs.append(
          LabelledRun(
            name: "\(name) from \(step)", events: log.events, expected: [.init(.nan, at: step)], verdict: .diverged,
            firstBadStep: step, ignored: [.lossSpike, .divergence]))
      }
    }
    // transformers < 4.38: no grad_norm, the loss just reads 0.0 from the second NaN step.
    var old = ExampleLog(steps: 300, seed: 3100, noise: 0.04, injections: [.nan(step: 120, filter: true)])
    old.printsGradNorm = false
    runs.append(
      LabelledRun(
        name: "NaN behind HF's filter, no grad_norm", events: old.events, expected: [.init(.nan, at: 121)],
        verdict: .diverged, firstBadStep: 121, ignored: [.lossSpike, .divergence]))
    // Logged every 10 steps: "within one logged step" is within 10 steps.
    var sparse = ExampleLog(steps: 2000, seed: 3200, noise: 0.02, injections: [.nan(step: 1234, filter: true)])
    sparse.loggingSteps = 10
    runs.append(
      LabelledRun(
        name: "NaN behind HF's filter, logging_steps 10", events: sparse.events, expected: [.init(.nan, at: 1240)],
        verdict: .diverged, firstBadStep: 1240, ignored: [.lossSpike, .divergence], loggingSteps: 10))
    return runs
  }

  static func overflows() -> [LabelledRun] {
    let benign = ExampleLog(
      steps: 500, seed: 4000, injections: [.overflows(initialPower: 32, calibration: 16, late: [250])])
    let storm = ExampleLog(
      steps: 500, seed: 4001,
      injections: [.overflows(initialPower: 16, calibration: 1, late: Array(stride(from: 300, to: 324, by: 3)))])
    let collapse = ExampleLog(
      steps: 500, seed: 4002,
      injections: [
        .overflows(initialPower: 16, calibration: 2, late: Array(400...413)), .minimumScale(step: 414),
      ])
    return [
      LabelledRun(
        name: "benign start-up overflows from 2^32", events: benign.events, expected: [], verdict: .healthy,
        firstBadStep: nil),
      LabelledRun(
        name: "late overflow storm", events: storm.events, expected: [.init(.overflowStorm, at: 300)],
        verdict: .unstable, firstBadStep: 300),
      LabelledRun(
        name: "loss scale down to the minimum", events: collapse.events,
        expected: [.init(.overflowStorm, at: 400), .init(.lossScaleCollapse, at: 411)], verdict: .diverged,
        firstBadStep: 400),
    ]
  }

  static func resumes() -> [LabelledRun] {
    let log = ExampleLog(
      steps: 600, seed: 5000, noise: 0.05,
      injections: [.resume(step: 301, fromStep: 300), .spike(step: 320, factor: 1.3)]
    )
    return [
      LabelledRun(
        name: "resume at step 300", events: log.events, expected: [.init(.resume, at: 301)], verdict: .healthy,
        firstBadStep: nil)
    ]
  }
}
