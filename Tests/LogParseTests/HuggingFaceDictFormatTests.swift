import Testing

@testable import LogParse

@Suite("HF Trainer log dicts")
struct HuggingFaceDictFormatTests {
  struct Variant: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let loss: Double?
    let gradNorm: Double?
    let learningRate: Double?
    let epoch: Double?
    var testDescription: String { name }
  }

  static let variants: [Variant] = [
    Variant(
      name: "4.30 (no grad_norm)", text: "{'loss': 1.6747, 'learning_rate': 0.0001956204379562044, 'epoch': 0.1}\n",
      loss: 1.6747, gradNorm: nil, learningRate: 0.0001956204379562044, epoch: 0.1),
    Variant(
      name: "4.38 (grad_norm, 2-decimal epoch)",
      text: "{'loss': 1.1409, 'grad_norm': 2.757542133331299, 'learning_rate': 1.817850637522769e-05, 'epoch': 0.91}\n",
      loss: 1.1409, gradNorm: 2.757542133331299, learningRate: 1.817850637522769e-05, epoch: 0.91),
    Variant(
      name: "4.38 under DeepSpeed (tensor repr)",
      text: "{'loss': 2.5, 'grad_norm': tensor(0.8125, device='cuda:0', dtype=torch.float16), 'learning_rate': 5e-05, 'epoch': 0.01}\n",
      loss: 2.5, gradNorm: 0.8125, learningRate: 5e-05, epoch: 0.01),
    Variant(
      name: "4.39 (float grad_norm)",
      text: "{'loss': 0.9914, 'grad_norm': 1.0, 'learning_rate': 1.2055455093429778e-06, 'epoch': 0.0}\n",
      loss: 0.9914, gradNorm: 1.0, learningRate: 1.2055455093429778e-06, epoch: 0.0),
    Variant(
      name: "4.40+ PrinterCallback (unrounded epoch)",
      text: "{'loss': 2.0312, 'grad_norm': 3.25, 'learning_rate': 4.9e-05, 'epoch': 0.10666666666666667}\n",
      loss: 2.0312, gradNorm: 3.25, learningRate: 4.9e-05, epoch: 0.10666666666666667),
    Variant(
      name: "5.x quoted floats", text: "{'loss': '2.312', 'grad_norm': '1.234', 'learning_rate': '5e-05', 'epoch': '0.1'}\n",
      loss: 2.312, gradNorm: 1.234, learningRate: 5e-05, epoch: 0.1),
    Variant(
      name: "5.x quoted exponent and nan",
      text: "{'loss': '1.235e+04', 'grad_norm': 'nan', 'learning_rate': '0.0002', 'epoch': '1'}\n",
      loss: 12350, gradNorm: .nan, learningRate: 0.0002, epoch: 1),
    Variant(
      name: "nan loss with the filter off", text: "{'loss': nan, 'grad_norm': nan, 'learning_rate': 0.0001, 'epoch': 0.5}\n",
      loss: .nan, gradNorm: .nan, learningRate: 0.0001, epoch: 0.5),
    Variant(
      name: "inf and -inf", text: "{'loss': inf, 'grad_norm': -inf, 'learning_rate': 0, 'epoch': 0.01}\n",
      loss: .infinity, gradNorm: -.infinity, learningRate: 0, epoch: 0.01),
    Variant(
      name: "padded after \\r clear",
      text: "\r 10%|█         | 10/100 [00:10<01:30]\r" + String(repeating: " ", count: 40)
        + "\r{'loss': 1.5, 'learning_rate': 0.0003, 'epoch': 0.1}" + String(repeating: " ", count: 30) + "\n",
      loss: 1.5, gradNorm: nil, learningRate: 0.0003, epoch: 0.1),
    Variant(
      name: "glued after a tqdm bar",
      text: "  4%|▎         | 1318/36234 [11:37<5:12:34,  1.86it/s]{'loss': 1.3465, 'learning_rate': 0.000289937455028505, 'epoch': 0.22}\n",
      loss: 1.3465, gradNorm: nil, learningRate: 0.000289937455028505, epoch: 0.22),
    Variant(
      name: "CRLF", text: "{'loss': 0.6419, 'grad_norm': 3.1357340812683105, 'learning_rate': 1.6e-05, 'epoch': 1.82}\r\n",
      loss: 0.6419, gradNorm: 3.1357340812683105, learningRate: 1.6e-05, epoch: 1.82),
    Variant(
      name: "custom trainer with lr and numpy scalars",
      text: "{'loss': np.float64(0.8123), 'lr': 3e-05, 'epoch': 2.0, 'train/acc_0': 0.5, 'num_input_tokens_seen': 40960}\n",
      loss: 0.8123, gradNorm: nil, learningRate: 3e-05, epoch: 2.0),
    Variant(
      name: "host and rank prefixes",
      text: "machine1: [default0]:{'loss': 6.591, 'learning_rate': 0.0006, 'epoch': 0.01}\n",
      loss: 6.591, gradNorm: nil, learningRate: 0.0006, epoch: 0.01),
  ]

  @Test("every printed dict variant becomes one training step with its values", arguments: variants)
  func variant(_ variant: Variant) throws {
    let steps = trainingSteps(try scanEvents(variant.text))
    try #require(steps.count == 1)
    let step = steps[0]
    #expect(same(step.loss, variant.loss))
    #expect(same(step.gradNorm, variant.gradNorm))
    #expect(same(step.learningRate, variant.learningRate))
    #expect(same(step.epoch, variant.epoch))
    #expect(step.format == .huggingFaceDict)
    #expect(step.step == nil)
  }

  @Test("eval dicts and the final summary are recognised and never counted as training steps")
  func evalAndSummaryAreNotSteps() throws {
    let text = """
      {'loss': 1.0, 'grad_norm': 0.5, 'learning_rate': 1e-05, 'epoch': 0.5}
      {'eval_loss': 0.6597685217857361, 'eval_rouge-1': 46.5406, 'eval_runtime': 1.0, 'epoch': 0.5}
      {'eval_runtime': 18.4471, 'eval_samples_per_second': 2.71, 'eval_steps_per_second': 2.71, 'epoch': 0.32}
      {'train_runtime': 871.787, 'train_samples_per_second': 1.147, 'train_loss': 0.44, 'epoch': 1.0}
      {'predict_loss': 0.5, 'predict_runtime': 3.0}
      optimizer_params ............. {'lr': 5e-05, 'betas': [0.9, 0.999], 'eps': 1e-08}
      accelerator_config={'split_batches': False, 'dispatch_batches': None},

      """
    let events = try scanEvents(text)
    #expect(trainingSteps(events).count == 1)
    let evals = evaluations(events)
    #expect(evals.count == 2)
    #expect(evals[0].loss == 0.6597685217857361)
    #expect(evals[1].loss == nil)
    let summaries = events.compactMap { if case .trainingSummary(let summary) = $0 { summary } else { nil } }
    #expect(summaries.count == 1)
    #expect(summaries[0].trainLoss == 0.44)
    #expect(summaries[0].runtimeSeconds == 871.787)
    #expect(notes(events).isEmpty)
  }

  @Test("a dict cut mid-way is not counted and is reported with its line")
  func cutDictIsNoted() throws {
    let events = try scanEvents("{'loss': 1.0, 'learning_rate': 0.1, 'epoch': 0.1}\nnoise\n{'loss': 0.0, 'grad_norm': nan, 'lear")
    #expect(trainingSteps(events).count == 1)
    let found = notes(events)
    #expect(found.count == 1)
    #expect(found.first?.kind == .incompleteRecord)
    #expect(found.first?.location.line == 3)
  }

  @Test("a dict value that is not a number is reported, the rest of the dict is kept")
  func unreadableValue() throws {
    let events = try scanEvents("{'loss': 'abc', 'learning_rate': 0.5, 'epoch': 1}\n")
    let steps = trainingSteps(events)
    #expect(steps.count == 1)
    #expect(steps.first?.loss == nil)
    #expect(steps.first?.learningRate == 0.5)
    #expect(notes(events).first?.kind == .unreadableValue)
  }

  @Test("dicts are found whatever the chunk size, with the right line numbers", arguments: [3, 16, 100])
  func chunkSizes(readSize: Int) throws {
    var text = ""
    for index in 1...20 {
      text += "\r 5%|bar| \(index)/20\r      \r{'loss': \(index).5, 'learning_rate': 0.001, 'epoch': 0.\(index)}\n"
      text += "[WARNING] something else {not a dict}\n"
    }
    let steps = trainingSteps(try scanEvents(text, readSize: readSize))
    #expect(steps.map(\.loss) == (1...20).map { Double("\($0).5") })
    #expect(steps.map(\.location.line) == (1...20).map { 2 * $0 - 1 })
  }

  @Test("a logged 'step' key is kept as the step number")
  func loggedStep() throws {
    let steps = trainingSteps(try scanEvents("{'loss': 1.0, 'learning_rate': 0.1, 'epoch': 0.1, 'step': 40}\n"))
    #expect(steps.first?.step == 40)
  }
}

/// Equality that treats two NaNs as equal and nil as nil.
func same(_ lhs: Double?, _ rhs: Double?) -> Bool {
  switch (lhs, rhs) {
  case (nil, nil): true
  case (let lhs?, let rhs?): lhs == rhs || (lhs.isNaN && rhs.isNaN)
  default: false
  }
}
