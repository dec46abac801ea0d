import Testing

@testable import LogParse

/// ``TrainingDictLayout`` (the common training layouts read in one pass) against the general
/// path (``PythonDictReader`` and key classification): on every generated segment both must emit
/// the same events, value bits included, and leave the training-banner state alike.
@Suite("HF dict fast path agrees with the general path")
struct TrainingDictLayoutTests {
  @Test("generated segments give the same events with and without the fast path", arguments: 0..<8)
  func generatedSegments(seed: Int) {
    var generator = DictGenerator(seed: UInt64(seed) &* 0x2545_F491_4F6C_DD1D &+ 7)
    var differences: [String] = []
    var fastReads = 0
    // One instance each for the whole run, as a scanner uses them (the fast one pauses after
    // misses in a row).
    let general = Reader(fast: false)
    let fast = Reader(fast: true)
    for line in 1...25_000 {
      let text = generator.segment()
      let (general, generalBanner) = general.events(of: text, line: line)
      let (fast, fastBanner) = fast.events(of: text, line: line)
      if fast != general || fastBanner != generalBanner, differences.count < 3 {
        differences.append("\(String(decoding: text, as: UTF8.self))\n  fast:    \(fast)\n  general: \(general)")
      }
      if text.withUnsafeBytes({ bytes in
        bytes.firstRange(of: Array("{'".utf8)).flatMap { TrainingDictLayout.read(bytes, at: $0.lowerBound) } != nil
      }) {
        fastReads += 1
      }
    }
    #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    // The generator must exercise the fast path, not only its fallbacks.
    #expect(fastReads > 5_000, "only \(fastReads) segments were read by the fast path")
  }

  @Test("runs of dicts in other layouts, then common ones: the same events as the general path")
  func layoutRuns() {
    let other = "{'loss': 1.5, 'grad_norm': 0.25, 'learning_rate': 2e-05, 'num_tokens': 4096.0, 'epoch': 0.5}"
    let general = Reader(fast: false)
    let fast = Reader(fast: true)
    var differences: [Int] = []
    for line in 1...400 {
      // 150 in another layout (the fast path pauses), then common ones (it resumes), alternating.
      let common = (line / 150) % 2 == 1
      let text = common ? "{'loss': \(line).5, 'learning_rate': 0.001, 'epoch': 0.\(line)}" : other
      if general.events(of: Array(text.utf8), line: line) != fast.events(of: Array(text.utf8), line: line) {
        differences.append(line)
      }
    }
    #expect(differences.isEmpty, "\(differences.prefix(5))")
  }

  @Test(
    "the layouts of log-formats.md §1.1 are read by the fast path",
    arguments: [
      "{'loss': 1.6747, 'learning_rate': 0.0001956204379562044, 'epoch': 0.1}",
      "{'loss': 1.1409, 'grad_norm': 2.757542133331299, 'learning_rate': 1.817850637522769e-05, 'epoch': 0.91}",
      "{'loss': 0.0, 'grad_norm': nan, 'learning_rate': 0, 'epoch': 0.10666666666666667}",
      "{'loss': '2.312', 'grad_norm': '1.234', 'learning_rate': '5e-05', 'epoch': '0.1'}",
      "{'loss': '1.235e+04', 'grad_norm': 'inf', 'learning_rate': '0.0002', 'epoch': '1'}",
    ])
  func commonLayouts(_ dict: String) throws {
    let bytes = Array(dict.utf8)
    let layout = try #require(bytes.withUnsafeBytes { TrainingDictLayout.read($0, at: 0) })
    #expect(layout.end == bytes.count)
  }

  /// One format reading segments in turn, as a scanner would.
  final class Reader {
    let state = HuggingFaceScanState()
    let format: HuggingFaceDictFormat

    init(fast: Bool) { format = HuggingFaceDictFormat(state: state, readsCommonLayouts: fast) }

    /// The events the format emits for `text` as one segment, described with every stored field
    /// (doubles as bit patterns), and the training-banner flag it leaves.
    func events(of text: [UInt8], line: Int) -> ([String], Bool) {
      state.inTrainingBanner = true
      var events: [LogEvent] = []
      // An allocation of exactly the segment's size, so that AddressSanitizer (scripts/sanitize.sh)
      // catches a read past its end, which an array's spare capacity would hide.
      let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(text.count, 1), alignment: 1)
      defer { bytes.deallocate() }
      bytes.copyBytes(from: text)
      let segment = Segment(
        bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<text.count]), line: line, offset: Int64(line) * 1000)
      _ = format.parse(segment, into: &events)
      return (events.map(TrainingDictLayoutTests.describe), state.inTrainingBanner)
    }
  }

  static func describe(_ event: LogEvent) -> String {
    switch event {
    case .trainingStep(let step):
      let values = [step.loss, step.gradNorm, step.learningRate, step.epoch, step.lossScale]
        .map { $0.map { String($0.bitPattern, radix: 16) } ?? "-" }
      return "step \(values) \(String(reflecting: step))"
    case .evaluation(let evaluation):
      let values = [evaluation.loss, evaluation.epoch].map { $0.map { String($0.bitPattern, radix: 16) } ?? "-" }
      return "eval \(values) \(String(reflecting: evaluation))"
    default:
      return String(reflecting: event)
    }
  }
}

/// Segments around HF dicts: every layout of log-formats.md §1.1, values of every kind, line
/// prefixes, cut dicts, extra or reordered keys, eval and summary dicts.
private struct DictGenerator {
  private var random: SplitMix

  init(seed: UInt64) { random = SplitMix(seed: seed) }

  private mutating func below(_ bound: Int) -> Int { random.next(below: bound) }

  private mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }

  mutating func segment() -> [UInt8] {
    var text = pick(["", "", "", String(repeating: " ", count: 80), "[rank1]: ", "machine1: ", "3: ", "[default0]:",
      "\u{1B}[32m", "  4%|▎         | 1318/36234 [11:37<5:12:34,  1.86it/s]", "{'lr': 1}", "x{'", "{"])
    text += dict()
    if below(5) == 0 { text += pick([" ", "   ", "{", "{'", " trailing", "}"]) }
    if below(8) == 0 { text += dict() }
    var bytes = Array(text.utf8)
    // A cut dict (a crash, a line cap): anywhere, often inside a value.
    if below(10) == 0, !bytes.isEmpty { bytes.removeLast(1 + below(bytes.count)) }
    return bytes
  }

  private mutating func dict() -> String {
    var keys: [String]
    switch below(10) {
    case 0: keys = ["loss", "learning_rate", "epoch"]
    case 1: keys = pick([["eval_loss", "eval_runtime", "epoch"], ["train_runtime", "train_loss", "epoch"],
      ["predict_loss"], ["lr", "epoch"], ["loss", "lr", "epoch"], ["grad_norm", "learning_rate", "epoch"]])
    default: keys = ["loss", "grad_norm", "learning_rate", "epoch"]
    }
    if below(8) == 0 { keys.insert(pick(["num_input_tokens_seen", "step", "train/acc_0", "loss", "epoch"]), at: below(keys.count + 1)) }
    if below(12) == 0, keys.count > 1 { keys.swapAt(0, keys.count - 1) }
    if below(15) == 0 { keys.removeLast() }
    let quotedValues = below(4) == 0
    var parts: [String] = []
    for key in keys {
      var value = value()
      if quotedValues || below(30) == 0 { value = "'\(value)'" }
      let keyText = below(40) == 0 ? "\"\(key)\"" : "'\(key)'"
      let separator = below(40) == 0 ? pick([":", " : ", ":  "]) : ": "
      parts.append(keyText + separator + value)
    }
    let comma = below(40) == 0 ? pick([",", " ,", ",  "]) : ", "
    return "{" + parts.joined(separator: comma) + (below(40) == 0 ? " }" : "}")
  }

  private mutating func value() -> String {
    switch below(20) {
    case 0: return pick(["nan", "inf", "-inf", "-nan", "NaN", "Infinity", "None", "True", "nan5", "infx", "-", "'"])
    case 1: return pick(["tensor(0.8125, device='cuda:0')", "np.float64(0.5)", "[1, 2]", "{'a': 1}", "abc", ""])
    case 2: return pick(["0", "40960", "-3", "+1.5", ".5", "5.", "-.5e-3", "1e", "1e+", "1E5", "1.5e5x", "1..5", "00.25"])
    case 3: return String(repeating: "9", count: 1 + below(30)) + "." + String(repeating: "3", count: below(30))
    case 4: return "\(below(10)).\(below(1000))e\(pick(["-", "+", ""]))\(below(400))"
    default:
      var value = Double(bitPattern: random.next() >> 12 | 0x3FF0_0000_0000_0000) - 1
      value *= pick([1, 10, 1e-5, 1e-8, 3.5, 1e3])
      if below(10) == 0 { value = -value }
      if below(6) == 0 { value = (value * 10_000).rounded() / 10_000 }
      return value.description
    }
  }
}
