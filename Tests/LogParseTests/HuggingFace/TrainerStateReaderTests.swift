import Foundation
import Testing

@testable import LogParse

/// `trainer_state.json` in each layout of log-formats.md §1.6, written by hand from the field lists.
@Suite("trainer_state.json")
struct TrainerStateReaderTests {
  /// 4.30: no logging_steps, train_batch_size or grad_norm; epoch rounded to 2 places.
  static let v430 = """
    {
      "best_metric": null,
      "best_model_checkpoint": null,
      "epoch": 0.2,
      "global_step": 20,
      "is_hyper_param_search": false,
      "is_local_process_zero": true,
      "is_world_process_zero": true,
      "log_history": [
        {
          "epoch": 0.1,
          "learning_rate": 4.5e-05,
          "loss": 2.3456,
          "step": 10
        },
        {
          "epoch": 0.2,
          "learning_rate": 4e-05,
          "loss": 2.1,
          "step": 20
        }
      ],
      "max_steps": 100,
      "num_train_epochs": 1,
      "total_flos": 1234.0,
      "trial_name": null,
      "trial_params": null
    }

    """

  /// 4.38: grad_norm, logging_steps, train_batch_size, eval at the same step as a train entry, a
  /// `predict_*` entry without step, the final summary, and Python's bare NaN/Infinity.
  static let v438 = """
    {
      "best_metric": null,
      "epoch": 2.0,
      "eval_steps": 50,
      "global_step": 150,
      "log_history": [
        {
          "epoch": 0.67,
          "grad_norm": 3.25,
          "learning_rate": 1e-05,
          "loss": 1.5,
          "step": 50
        },
        {
          "epoch": 0.67,
          "eval_loss": 1.4,
          "eval_runtime": 2.5,
          "eval_samples_per_second": 40.0,
          "eval_steps_per_second": 5.0,
          "step": 50
        },
        {
          "epoch": 1.33,
          "grad_norm": NaN,
          "learning_rate": 5e-06,
          "loss": 0.0,
          "step": 100
        },
        {
          "epoch": 2.0,
          "grad_norm": Infinity,
          "learning_rate": 0.0,
          "loss": -Infinity,
          "step": 150
        },
        {
          "epoch": 2.0,
          "step": 150,
          "total_flos": 5.0e+16,
          "train_loss": 0.75,
          "train_runtime": 100.5,
          "train_samples_per_second": 3.0,
          "train_steps_per_second": 1.5
        },
        {
          "predict_loss": 1.3,
          "predict_runtime": 4.0
        }
      ],
      "logging_steps": 50,
      "max_steps": 150,
      "num_input_tokens_seen": 0,
      "num_train_epochs": 2,
      "save_steps": 500,
      "total_flos": 5.0e+16,
      "train_batch_size": 6,
      "trial_name": null,
      "trial_params": null
    }

    """

  /// 5.x / TRL: best_global_step, stateful_callbacks, full-precision epoch, TRL keys, and a custom
  /// entry using `lr` and no `step`.
  static let v5 = """
    {
      "best_global_step": 30,
      "best_metric": 0.9,
      "epoch": 0.03,
      "eval_steps": 30,
      "global_step": 30,
      "log_history": [
        {
          "entropy": 1.5,
          "epoch": 0.010690423162583519,
          "grad_norm": 1.0048305988311768,
          "learning_rate": 2.456140350877193e-06,
          "loss": 2.0762,
          "mean_token_accuracy": 0.55,
          "num_tokens": 12345.0,
          "step": 15
        },
        {
          "epoch": 0.02,
          "lr": 3e-06,
          "loss": 1.9,
          "remaining_time": "0:10:00"
        }
      ],
      "logging_steps": 15,
      "max_steps": 2808,
      "num_input_tokens_seen": 0,
      "num_train_epochs": 2,
      "save_steps": 30,
      "stateful_callbacks": {
        "TrainerControl": {
          "args": {
            "should_epoch_stop": false,
            "should_save": true
          },
          "attributes": {}
        }
      },
      "total_flos": 1.0,
      "train_batch_size": 2,
      "trial_name": null,
      "trial_params": null
    }

    """

  @Test("4.30 layout: steps and settings as stored, no invented GAS or world size")
  func layout430() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let events = try loadEvents(try folder.write(Self.v430, to: "trainer_state.json"))
    let steps = trainingSteps(events)
    #expect(steps.map(\.step) == [10, 20])
    #expect(steps.map(\.loss) == [2.3456, 2.1])
    #expect(steps.first?.gradNorm == nil)
    #expect(steps.allSatisfy { $0.format == .trainerState })
    #expect(steps.first?.location.line == 10)
    #expect(settingValues(events) == ["max_steps": .int(100), "num_train_epochs": .int(1)])
    #expect(settings(events).allSatisfy { $0.source == .trainerState })
  }

  @Test("4.38 layout: eval sharing a step, summary, predict entry without step, NaN/Infinity/-Infinity")
  func layout438() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let events = try loadEvents(try folder.write(Self.v438, to: "trainer_state.json"))
    let steps = trainingSteps(events)
    #expect(steps.map(\.step) == [50, 100, 150])
    #expect(steps[1].loss == 0.0 && steps[1].gradNorm?.isNaN == true)
    #expect(steps[2].gradNorm == .infinity && steps[2].loss == -.infinity)
    let evals = evaluations(events)
    #expect(evals.count == 1)
    #expect(evals.first?.step == 50 && evals.first?.loss == 1.4)
    #expect(summaries(events).map(\.trainLoss) == [0.75])
    #expect(
      settingValues(events) == [
        "per_device_train_batch_size": .int(6), "logging_steps": .int(50), "max_steps": .int(150),
        "num_train_epochs": .int(2), "eval_steps": .int(50), "save_steps": .int(500),
      ])
    let batch = try #require(settings(events).first { $0.name == "per_device_train_batch_size" })
    #expect(batch.text == "\"train_batch_size\": 6")
    #expect(batch.location.line == 56)
  }

  @Test("5.x/TRL layout: extra keys ignored, `lr` read as the learning rate, an entry without step kept")
  func layout5() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let events = try loadEvents(try folder.write(Self.v5, to: "trainer_state.json"))
    let steps = trainingSteps(events)
    #expect(steps.count == 2)
    #expect(steps[0].step == 15 && steps[0].learningRate == 2.456140350877193e-06)
    #expect(steps[0].epoch == 0.010690423162583519)
    #expect(steps[1].step == nil && steps[1].learningRate == 3e-06 && steps[1].loss == 1.9)
    #expect(settingValues(events)["logging_steps"] == .int(15))
    #expect(notes(events).isEmpty)
  }

  @Test("a renamed trainer_state file is recognised by name or by its log_history")
  func renamed() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    #expect(InputKind.detect(try folder.write(Self.v430, to: "run1-trainer_state.json")) == .trainerState)
    #expect(InputKind.detect(try folder.write(Self.v430, to: "state.json")) == .trainerState)
    #expect(InputKind.detect(try folder.write("{\"train_batch_size\": 8}", to: "ds.json")) == .deepSpeedConfig)
  }

  @Test("a file cut mid-way: error naming the file, the line and the byte offset at the cut; whole entries kept")
  func truncated() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let text = String(Self.v438.prefix(300))
    let path = try folder.write(text, to: "trainer_state.json")
    var delivered = 0
    let error = #expect(throws: InputError.self) { try InputLoader.load(path) { _ in delivered += 1 } }
    #expect(error?.byteOffset == 300)
    #expect(error?.kind == .malformed)
    #expect(error?.line == text.split(separator: "\n", omittingEmptySubsequences: false).count)
    #expect(error?.description.hasPrefix("\(path):") == true)
    #expect(error?.description.contains("(byte 300)") == true)
    #expect(error?.description.contains("cut short") == true)
    // The entries complete before the cut are delivered, and the message counts them.
    #expect(delivered == 1)
    #expect(error?.description.contains("complete log_history entries read before it: 1") == true)
  }

  @Test("a file that is not JSON: error at the first bad byte")
  func notJSON() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = try folder.write("{\n  \"log_history\": [\n    {'loss': 1.0}\n  ]\n}\n", to: "trainer_state.json")
    let error = #expect(throws: InputError.self) { try InputLoader.load(path) { _ in } }
    #expect(error?.byteOffset == 26)
    #expect(error?.line == 3)
    #expect(error?.description.contains("expected a quoted key, found '''") == true)
    let other = try folder.write("step,loss\n1,2.0\n", to: "other/trainer_state.json")
    #expect(throws: InputError.self) { try InputLoader.load(other) { _ in } }
    let noHistory = try folder.write("{\"global_step\": 3}", to: "third/trainer_state.json")
    let missing = #expect(throws: InputError.self) { try InputLoader.load(noHistory) { _ in } }
    #expect(missing?.description.contains("log_history") == true)
  }
}
