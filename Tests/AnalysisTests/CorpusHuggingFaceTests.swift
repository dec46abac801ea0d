import Foundation
import LogParse
import Testing

@testable import Analysis

/// The shared corpus (`../shared/corpus/public` beside the clone, or `$DIAGNOSE_SHARED/corpus/public`).
enum HFCorpus {
  static let directory: URL? = {
    let environment = ProcessInfo.processInfo.environment["DIAGNOSE_SHARED"].map { URL(fileURLWithPath: $0) }
    let beside = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
    for candidate in [environment, beside].compactMap({ $0 }) {
      let directory = candidate.appendingPathComponent("corpus/public")
      if FileManager.default.fileExists(atPath: directory.path) { return directory }
    }
    return nil
  }()

  static var isAvailable: Bool { directory != nil }

  /// `corpus/runs`, the real tiny runs, when present.
  static let runs: URL? = directory.map { $0.deletingLastPathComponent().appendingPathComponent("runs") }
    .flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil }

  static func file(_ prefix: String) -> String? {
    guard let directory, let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
      return nil
    }
    return names.sorted().first { $0.hasPrefix(prefix) && !$0.hasSuffix(".source.txt") }
      .map { directory.appendingPathComponent($0).path }
  }
}

/// Each HF file of the corpus read end to end: its series (count, first and last rows, runs), its
/// evaluations and every setting it states. Values were read off the files by hand.
@Suite("HF family in the shared corpus", .enabled(if: HFCorpus.isAvailable, "../shared/corpus is not present"))
struct CorpusHuggingFaceTests {
  /// (line, step, loss, grad_norm, learning_rate); grad_norm `nil` when not logged, `.nan` for nan.
  typealias Row = (line: Int, step: Int, loss: Double, gradNorm: Double?, learningRate: Double)

  struct Expectation: CustomTestStringConvertible, Sendable {
    let prefix: String
    let steps: Int
    let evaluations: Int
    let first: Row?
    let last: Row?
    let settings: [String: SettingValue]
    var derivedWorldSize: Int? = nil
    var testDescription: String { prefix }
  }

  static let trainingArguments07: [String: SettingValue] = [
    "_n_gpu": .int(1), "adam_beta1": .double(0.9), "adam_beta2": .double(0.999), "adam_epsilon": .double(1e-08),
    "bf16": .bool(false), "fp16": .bool(false), "gradient_accumulation_steps": .int(1), "learning_rate": .double(2e-05),
    "logging_first_step": .bool(false), "logging_nan_inf_filter": .bool(true), "logging_steps": .int(500),
    "lr_scheduler_type": .string("linear"), "max_grad_norm": .double(1.0), "max_steps": .int(-1),
    "num_train_epochs": .double(10.0), "optim": .string("adamw_torch"), "per_device_train_batch_size": .int(6),
    "seed": .int(6000), "warmup_ratio": .double(0.0), "warmup_steps": .int(0), "weight_decay": .double(0.0),
  ]

  static let banner07: [String: SettingValue] = [
    "num_examples": .int(3290), "num_train_epochs": .int(10), "per_device_train_batch_size": .int(6),
    "total_batch_size": .int(6), "gradient_accumulation_steps": .int(1), "max_steps": .int(5490),
    "trainable_parameters": .int(424_102_912),
  ]

  static let trainingArguments05: [String: SettingValue] = [
    "per_device_train_batch_size": .int(4), "gradient_accumulation_steps": .int(1), "learning_rate": .double(5e-05),
    "weight_decay": .double(0.0), "adam_beta1": .double(0.9), "adam_beta2": .double(0.999),
    "adam_epsilon": .double(1e-08), "max_grad_norm": .double(1.0), "num_train_epochs": .double(1.0),
    "max_steps": .int(-1), "lr_scheduler_type": .string("linear"), "warmup_ratio": .double(0.0),
    "warmup_steps": .int(8), "logging_first_step": .bool(false), "logging_steps": .int(500), "seed": .int(42),
    "fp16": .bool(true), "deepspeed": .string("./ds_z3_cpu_offload.json"), "_n_gpu": .int(1),
  ]

  static let banner05: [String: SettingValue] = [
    "num_examples": .int(1000), "num_train_epochs": .int(1), "per_device_train_batch_size": .int(4),
    "total_batch_size": .int(256), "gradient_accumulation_steps": .int(1), "max_steps": .int(4),
  ]

  static let expectations: [Expectation] = [
    Expectation(
      prefix: "05-", steps: 0, evaluations: 0, first: nil, last: nil,
      settings: trainingArguments05.merging(banner05) { $1 }, derivedWorldSize: 64),
    Expectation(
      prefix: "07-", steps: 10, evaluations: 10,
      first: (324, 500, 1.1409, 2.757542133331299, 1.817850637522769e-05),
      last: (428, 5000, 0.2645, 3.681400775909424, 1.7850637522768672e-06),
      settings: trainingArguments07.merging(banner07) { $1 }, derivedWorldSize: 1),
    Expectation(
      prefix: "08-", steps: 10, evaluations: 10,
      first: (11, 500, 1.1409, 2.757542133331299, 1.817850637522769e-05),
      last: (281, 5000, 0.2645, 3.681400775909424, 1.7850637522768672e-06),
      settings: [
        "per_device_train_batch_size": .int(6), "logging_steps": .int(500), "max_steps": .int(5490),
        "num_train_epochs": .int(10), "eval_steps": .int(500), "save_steps": .int(500),
      ]),
    Expectation(
      prefix: "09-", steps: 300, evaluations: 0, first: (10, 10, 2.6644, nil, 0.019933333333333334),
      last: (1804, 3000, 1.1963, nil, 0.0), settings: ["max_steps": .int(3000), "num_train_epochs": .int(1)]),
    Expectation(
      prefix: "11-", steps: 186, evaluations: 14, first: (12, 15, 2.0762, 1.0048305988311768, 2.456140350877193e-06),
      last: (1807, 2790, 1.025, 1.9084734916687012, 1.3040663405394782e-09),
      settings: [
        "per_device_train_batch_size": .int(2), "logging_steps": .int(15), "max_steps": .int(2808),
        "num_train_epochs": .int(2), "eval_steps": .int(200), "save_steps": .int(200),
      ]),
    Expectation(
      prefix: "14-", steps: 13, evaluations: 0, first: (1, 1, 0.0, .nan, 0.00012142857142857143),
      last: (13, 13, 0.0, .nan, 0.00020714285714285716), settings: [:]),
    Expectation(
      prefix: "20-", steps: 6, evaluations: 0, first: (1, 1, 1.7319, 0.547949492931366, 2.7037732088676582e-05),
      last: (6, 6, 1.7414, 0.7967870831489563, 1.8611664616633675e-05), settings: [:]),
    Expectation(
      prefix: "21-", steps: 13, evaluations: 0, first: (1, 1, 1.5214, 82.93941089686794, 1.4285714285714286e-06),
      last: (13, 13, 0.271, 6.623439021748574, 1.8571428571428575e-05), settings: [:]),
    Expectation(
      prefix: "22b-", steps: 5, evaluations: 0, first: (1, 1, 1.5545, nil, 0.00028994575745834946),
      last: (5, 5, 1.0574, nil, 0.00028991254773897155), settings: [:]),
    Expectation(
      prefix: "26-", steps: 3, evaluations: 0, first: (1, 1, 0.2051, .nan, 9.774074342405685e-06),
      last: (3, 3, 0.0, .nan, 9.773318840518906e-06), settings: [:]),
    Expectation(
      prefix: "27-", steps: 8, evaluations: 1, first: (1, 1, 0.5505, 21.420368194580078, 0.0008384379848413304),
      last: (9, 8, 0.4575, 2.8862497806549072, 0.00075), settings: [:]),
    Expectation(
      prefix: "29-", steps: 7, evaluations: 0, first: (1, 1, 1.0194, nil, 1.2055455093429777e-07),
      last: (7, 7, 0.8098, nil, 7.233273056057867e-06), settings: [:]),
  ]

  static func same(_ left: Double?, _ right: Double?) -> Bool {
    switch (left, right) {
    case (nil, nil): true
    case (let l?, let r?): l.isNaN ? r.isNaN : l == r
    default: false
    }
  }

  static func check(_ row: SeriesRow?, _ expected: Row?) {
    guard let expected else {
      #expect(row == nil)
      return
    }
    guard let row else {
      Issue.record("no row")
      return
    }
    #expect(row.location.line == expected.line)
    #expect(row.step == expected.step)
    #expect(row.loss == expected.loss)
    #expect(same(row.gradNorm, expected.gradNorm))
    #expect(row.learningRate == expected.learningRate)
  }

  @Test("series, evaluations and every stated setting", arguments: expectations)
  func corpusFile(_ expected: Expectation) throws {
    let path = try #require(HFCorpus.file(expected.prefix))
    var builder = SeriesBuilder()
    var rows: [SeriesRow] = []
    var evaluations: [EvaluationRow] = []
    var table = SettingsTable()
    var starts = 0
    try InputLoader.load(path) { event in
      if let row = builder.add(event) { rows.append(row) }
      if let evaluation = builder.evaluation(event) { evaluations.append(evaluation) }
      if case .setting(let setting) = event { table.add(setting, from: path) }
      if case .runBoundary(let boundary) = event, boundary.kind == .start { starts += 1 }
    }
    #expect(rows.count == expected.steps)
    #expect(evaluations.count == expected.evaluations)
    #expect(rows.allSatisfy { $0.run == 1 })
    #expect(starts <= 1)
    Self.check(rows.first, expected.first)
    Self.check(rows.last, expected.last)
    // Every stated setting, once per source: a name stated by two sources has one value here.
    var stated: [String: SettingValue] = [:]
    var seen = Set<String>()
    // The HF sources' settings; DeepSpeed's own are checked by the DeepSpeed corpus tests.
    let huggingFace: Set<SettingSource> = [.hfBanner, .hfTrainingArguments, .trainerState, .llamaFactoryLog]
    for entry in table.entries where huggingFace.contains(entry.event.source) {
      #expect(
        seen.insert("\(entry.event.source.rawValue)/\(entry.event.name)").inserted, "\(entry.event.name) stated twice")
      stated[entry.event.name] = entry.event.value.intValue.map(SettingValue.int) ?? entry.event.value
    }
    let normalised = expected.settings.mapValues { $0.intValue.map(SettingValue.int) ?? $0 }
    #expect(stated == normalised)
    if let world = expected.derivedWorldSize {
      #expect(RunSettings(table).int(.worldSize) == world)
    } else {
      #expect(table.derived.first { $0.name == "world_size" } == nil)
    }
  }

  @Test("07: the banner's numbers, as the issue states them, from the banner itself")
  func banner07() throws {
    let path = try #require(HFCorpus.file("07-"))
    var banner: [String: SettingValue] = [:]
    try InputLoader.load(path) { event in
      if case .setting(let setting) = event, setting.source == .hfBanner { banner[setting.name] = setting.value }
    }
    #expect(banner == Self.banner07)
  }

  @Test("05: 16 interleaved banners and 16 final dicts are one run with one summary")
  func sixteenNodes() throws {
    let path = try #require(HFCorpus.file("05-"))
    var starts = 0
    var summaries = 0
    var duplicates: ParseNote?
    try InputLoader.load(path) { event in
      switch event {
      case .runBoundary(let boundary) where boundary.kind == .start: starts += 1
      case .trainingSummary: summaries += 1
      case .note(let note) where note.kind == .duplicates: duplicates = note
      default: break
      }
    }
    #expect(starts == 1)
    #expect(summaries == 1)
    #expect(duplicates?.message.contains("15 log dicts, 15 banner or resume lines") == true)
  }
}
