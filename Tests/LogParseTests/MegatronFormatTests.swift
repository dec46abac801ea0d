import Testing

@testable import LogParse

@Suite("Megatron iteration lines and arguments")
struct MegatronFormatTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let line: String
    let step: Int
    let total: Int
    let rate: Double
    let batch: Int
    let loss: Double?
    let losses: [String]
    let scale: Double?
    let gradNorm: Double?
    let skipped: Int
    let nan: Int
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "old Megatron-LM v1",
      line:
        " iteration      100/   10000 | consumed samples:       102400 | elapsed time per iteration (ms): 1234.5 | learning rate: 1.500E-04 | global batch size:  1024 | lm loss: 1.244238E+01 | loss scale: 12.0 | grad norm: 8.012 | num zeros: 0.0 | number of skipped iterations:   0 | number of nan iterations:   0 |",
      step: 100, total: 10000, rate: 1.5e-4, batch: 1024, loss: 12.44238, losses: ["lm loss"], scale: 12,
      gradNorm: 8.012,
      skipped: 0, nan: 0),
    Case(
      name: "Megatron-DeepSpeed with tokens, seqlen and TFLOPs",
      line:
        " iteration      199/  317892 | consumed samples:        25472 | consumed tokens:    104333312 | elapsed time per iteration (ms): 3571.4 | learning rate: 5.975E-06 | global batch size:   128 | lm loss: 5.905366E+00 | loss scale: 8192.0 | actual seqlen:  4096 | number of skipped iterations:   2 | number of nan iterations:   1 | samples per second: 35.840 | tokens per gpu per second (tgs): 1146.733 | TFLOPs: 69.85 |",
      step: 199, total: 317892, rate: 5.975e-6, batch: 128, loss: 5.905366, losses: ["lm loss"], scale: 8192,
      gradNorm: nil,
      skipped: 2, nan: 1),
    Case(
      name: "core ≥ 0.6 with a timestamp and .6E lr, extra loss key",
      line:
        " [2025-02-20 11:18:36] iteration        1/250000000 | consumed samples:            4 | elapsed time per iteration (ms): 10585.1 | throughput per GPU (TFLOP/s/GPU): 0.0 | learning rate: 1.000000E-05 | global batch size:     4 | lm loss: 6.612992E+00 | dummy loss: 6.612992E+00 | loss scale: 1.0 | grad norm: 111.173 | number of skipped iterations:   0 | number of nan iterations:   0 |",
      step: 1, total: 250_000_000, rate: 1e-5, batch: 4, loss: 6.612992, losses: ["lm loss", "dummy loss"], scale: 1,
      gradNorm: 111.173, skipped: 0, nan: 0),
    Case(
      name: "HEAD with microseconds, MoE and MTP loss keys",
      line:
        "[2026-05-28 22:26:20.123456] iteration       29/    6069 | consumed samples:        14848 | elapsed time per iteration (ms): 26813.0 | learning rate: 5.800000E-05 | global batch size:   512 | lm loss: 8.716962E-01 | seq_load_balancing_loss: 1.253194E+00 | mtp_1 loss: 1.115410E+00 | loss scale: 1.0 | grad norm: 0.852 | number of skipped iterations:   0 | number of nan iterations:   0 |",
      step: 29, total: 6069, rate: 5.8e-5, batch: 512, loss: 0.8716962,
      losses: ["lm loss", "seq_load_balancing_loss", "mtp_1 loss"],
      scale: 1, gradNorm: 0.852, skipped: 0, nan: 0),
    Case(
      name: "every iteration skipped: no loss, finite grad norm",
      line:
        " iteration        1/  250000 | consumed samples:          192 | elapsed time per iteration (ms): 30000.1 | learning rate: 0.000E+00 | global batch size:   192 | loss scale: 4294967296.0 | number of skipped iterations:   1 | number of nan iterations:   0 |",
      step: 1, total: 250000, rate: 0, batch: 192, loss: nil, losses: [], scale: 4_294_967_296, gradNorm: nil,
      skipped: 1, nan: 0),
  ]

  @Test("every generation of the iteration line gives its fields; loss keys are an open set", arguments: cases)
  func iterationLine(_ expected: Case) throws {
    let steps = trainingSteps(try scanEvents(expected.line + "\n"))
    let step = try #require(steps.first)
    #expect(steps.count == 1)
    #expect(step.format == .megatronIteration)
    #expect(step.step == expected.step)
    #expect(step.totalSteps == expected.total)
    #expect(step.learningRate == expected.rate)
    #expect(step.globalBatchSize == expected.batch)
    #expect(step.loss == expected.loss)
    #expect((step.losses ?? []).map(\.name) == expected.losses)
    #expect(step.lossOmitted == expected.losses.isEmpty)
    #expect(step.lossScale == expected.scale)
    #expect(step.gradNorm == expected.gradNorm)
    #expect(step.skipped == expected.skipped)
    #expect(step.nanIterations == expected.nan)
  }

  @Test("a line without lm loss and with grad norm nan has a NaN loss, flagged as omitted; srun's label is the rank")
  func nanLoss() throws {
    let line =
      "7: iteration     5426/  250000 | consumed samples:        43408 | consumed tokens:     88899584 | elapsed time per iteration (ms): 4247.9 | learning rate: 2.999E-04 | global batch size:     8 | loss scale: 1.0 | grad norm: nan | actual seqlen:  2048 | number of skipped iterations:   0 | number of nan iterations:   0 | samples per second: 1.883 | TFLOPs: 78.36 |\n"
    let step = try #require(trainingSteps(try scanEvents(line)).first)
    #expect(step.loss?.isNaN == true)
    #expect(step.lossOmitted)
    #expect(step.gradNorm?.isNaN == true)
    #expect(step.consumedSamples == 43408)
    #expect(step.rank == 7)
  }

  @Test("the arguments dump gives batch, lr, warmup, clipping and parallel sizes")
  func argumentsDump() throws {
    let log = """
      ------------------------ arguments ------------------------
        clip_grad ....................................... 1.0
        data_parallel_size .............................. 8
        fp16 ............................................ True
        global_batch_size ............................... 2048
        lr .............................................. 6e-05
        lr_decay_style .................................. cosine
        lr_warmup_iters ................................. 0
        lr_warmup_samples ............................... 216320
        micro_batch_size ................................ 1
        min_lr .......................................... 6e-06
        pipeline_model_parallel_size .................... 12
        rampup_batch_size ............................... ['16', '16', '6_000_000']
        tensor_model_parallel_size ...................... 4
        train_iters ..................................... None
        train_samples ................................... 300000000
        world_size ...................................... 384
      -------------------- end of arguments ---------------------
      > initialized tensor model parallel with size 4

      """
    let values = settingValues(try scanEvents(log), source: .megatronArguments)
    #expect(values["max_grad_norm"] == .double(1.0))
    #expect(values["data_parallel_size"] == .int(8))
    #expect(values["fp16"] == .bool(true))
    #expect(values["global_batch_size"] == .int(2048))
    #expect(values["learning_rate"] == .double(6e-05))
    #expect(values["lr_scheduler_type"] == .string("cosine"))
    #expect(values["warmup_steps"] == .int(0))
    #expect(values["lr_warmup_samples"] == .int(216320))
    #expect(values["per_device_train_batch_size"] == .int(1))
    #expect(values["min_lr"] == .double(6e-06))
    #expect(values["pipeline_model_parallel_size"] == .int(12))
    #expect(values["rampup_batch_size"] == .string("['16', '16', '6_000_000']"))
    #expect(values["tensor_model_parallel_size"] == .int(4))
    #expect(values["max_steps"] == nil)
    #expect(values["train_samples"] == .int(300_000_000))
    #expect(values["world_size"] == .int(384))
  }

  @Test("torchrun's [default0]: prefix on every argument line is peeled")
  func prefixedArguments() throws {
    let log = """
      [default0]:------------------------ arguments ------------------------
      [default0]:  lr .............................................. 0.00012
      [default0]:  micro_batch_size ................................ 2
      [default0]:-------------------- end of arguments ---------------------

      """
    let values = settingValues(try scanEvents(log), source: .megatronArguments)
    #expect(values["learning_rate"] == .double(0.00012))
    #expect(values["per_device_train_batch_size"] == .int(2))
  }
}
