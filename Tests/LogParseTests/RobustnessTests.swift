import Foundation
import Testing

@testable import LogParse

/// Random mixes of the pieces these formats look for, cut anywhere: no crash, no hang, and the
/// readers either read or say why.
@Suite("DeepSpeed, Megatron, JSON and shell readers on mangled input")
struct RobustnessTests {
  /// A small deterministic generator (an LCG), so that a failure can be replayed.
  struct Generator {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
  }

  static let logPieces = [
    "[2024-09-15 00:13:21,397] [INFO] [logging.py:96:log_dist] ", "[Rank 0] ", "step=", "10", ", skipped=", ", lr=[",
    "3e-05", ", ", "], mom=[", "(0.9, 0.95)", "]", "\n", "\r", " ", "OVERFLOW! Rank 0 Skipping step.",
    " Attempted loss scale: ", "65536", ", reducing to ", "32768.0", ", but hysteresis is 2",
    "Grad overflow on iteration ",
    "Reducing dynamic loss scale from ", " to ", "DeepSpeedEngine configuration:", "  json = {", "\"a\": ", "{", "}",
    "  train_batch_size ............. ", "16", " iteration ", "5/  100 |", " lm loss: ", "nan", " | ", "grad norm: ",
    "------------------------ arguments ------------------------", "  lr ......... ", "end of arguments",
    "Check batch related parameters. train_batch_size is not equal to micro_batch_per_gpu * gradient_acc_step * world_size ",
    " != ", " * ", "[rank0]: ", "[default1]:", "WORLD INFO DICT: {'h': [0, 1]}", "--world_info=eyJ",
    "nnodes=1, num_local_procs=",
    "dist_world_size=", "Please correct the following DeepSpeed config values", "- ds x=1 vs hf y=2",
    "epoch=0/micro_step=",
    "/global_step=", ", RunningAvgSamplesPerSec=", "SamplesPerSec=", "steps: 3 loss: 1.5 iter time (s): 1",
    "\u{1B}[32m",
  ]

  static let shellPieces = [
    "lr=1e-4", "\n", " ", "\\\n", "torchrun", "--nnodes", "--nproc_per_node=", "2", "$lr", "${lr}", "${x:-3}", "$(",
    ")",
    "`", "'", "\"", "#", ";", "&&", "|", "2>&1", ">", "--learning_rate", "--fp16", "export", "$", "${", "--deepspeed",
    "=",
  ]

  static let jsonPieces = [
    "{", "}", "[", "]", "\"k\"", ":", ",", "1", "-", "1e", "NaN", "inf", "nul", "\"auto\"", "\\", "\n", " ", "\"",
    "true",
  ]

  static func mix(_ pieces: [String], _ generator: inout Generator, count: Int) -> String {
    (0..<count).map { _ in pieces[generator.next(pieces.count)] }.joined()
  }

  @Test("the console formats survive 300 random logs, every read size")
  func consoleLogs() throws {
    var generator = Generator(state: 42)
    for round in 0..<300 {
      let text = Self.mix(Self.logPieces, &generator, count: 1 + generator.next(120))
      let events = try scanEvents(text, readSize: [7, 64, 4096][round % 3])
      for step in trainingSteps(events) { #expect(step.location.line >= 1) }
    }
  }

  @Test("the JSON reader returns a value or an error with a line inside the text, for 2,000 random texts")
  func json() {
    var generator = Generator(state: 7)
    for _ in 0..<2_000 {
      let text = Self.mix(Self.jsonPieces, &generator, count: 1 + generator.next(40))
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
      Array(text.utf8).withUnsafeBytes { bytes in
        do throws(JSONSyntaxError) {
          _ = try JSONReader.read(bytes)
        } catch {
          #expect(error.line >= 1 && error.line <= lines)
        }
      }
    }
  }

  @Test("the launch-script reader reads or reports 1,000 random scripts")
  func scripts() {
    var generator = Generator(state: 99)
    for _ in 0..<1_000 {
      let text = Self.mix(Self.shellPieces, &generator, count: 1 + generator.next(40))
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
      var unresolved: [(flag: String, names: [String], line: Int)] = []
      var settingLines: [Int] = []
      LaunchScriptReader.read(
        Array(text.utf8), into: { settingLines.append($0.location.line) }, unresolved: &unresolved)
      #expect(unresolved.allSatisfy { $0.line >= 1 && $0.line <= lines })
      #expect(settingLines.allSatisfy { $0 >= 1 && $0 <= lines })
    }
  }
}
