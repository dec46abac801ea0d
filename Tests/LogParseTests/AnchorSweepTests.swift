import Testing

@testable import LogParse

/// The one sweep over all formats' anchors must find exactly what each format's own search found.
@Suite struct AnchorSweepTests {
  /// Pieces that hold every format's anchors, near misses, case variants and self-overlapping
  /// repeats; glued together with or without filler, they put anchors at offset 0, at the last
  /// byte, straddling each other and at the cut points below.
  static let pieces = [
    "{'loss': 2.5, 'epoch': 0.1}", "{'", "{", "'", "{'{'", "{ '",
    "***** Running training *****", "***** Running Evaluation *****", "***** Running x", "***** Running training",
    "***** Running training ***** Running Eval", "  Num examples = 1,000", "  Num Epochs = 3",
    "Num update steps per epoch = 5",
    "Instantaneous batch size per device = 8", "Total train batch size (w. parallel) = 64",
    "Gradient Accumulation steps = 4", "Total optimization steps = 90", "Number of trainable parameters = 7",
    "Training with DataParallel", "Continuing training from global step 5",
    "Resuming training from checkpoint with epoch 1 and global step 9", "TrainingArguments(", "TrainingArguments",
    "[Rank 0] step=10, skipped=4, lr=[1e-05]", "step=10, skipped", "step=, skipped=", "step=7,skipped=",
    "global_step=10, RunningAvgSamplesPerSec=12.5", "SamplesPerSec=", "steps: 100 loss: 2.3 iter time (s): 0.5",
    "iter time (s) ", "[deepspeed] OVERFLOW! Rank 0 Skipping step.", "Grad overflow on iteration 3",
    "Overflow detected",
    "oVeRfLoW", "overflo", "overflowoverflow", "Reducing dynamic loss scale", "already at minimum",
    "DeepSpeedEngine configuration:", "  json = {", " json = {", "WORLD INFO DICT: {'localhost': [0, 1]}",
    "nnodes=1, num_local_procs=4", "dist_world_size=4", "--world_info=eyJsb2NhbGhvc3QiOiBbMF19",
    "mesh_device None world_size = 4", "world_size = x", "world_size =", "[runner.py:585:main] cmd = /usr/bin/python",
    "+ torchrun --nproc_per_node 8 train.py", "++ /opt/bin/deepspeed train.py", "+ echo torchrun", "+ + torchrun",
    "x+ torchrun", "+ ", "(env) [gpu05]$ deepspeed --num_gpus=4", "$ ls", "$ python3 x.py", "$ srun",
    " iteration       10/     100 | lm loss: 2.5 |", "iteration 5/100|", "iteration 5/ 100 |",
    "iteration iteration 7/8 |",
    "iteration 12/", "-------- arguments --------", "-------- arguments -------- arguments --------",
    "Check batch related parameters", "Please correct the following DeepSpeed config values",
  ]
  static let fillers = ["", "", " ", "\n", "\r", "\r\n", "abc ", "  ", "+", "$", "*", "=", "\n+"]

  /// Text made of `count` random pieces and fillers, the same for the same seed.
  static func text(seed: UInt64, count: Int) -> [UInt8] {
    var random = SplitMix(seed: seed)
    var bytes: [UInt8] = []
    for _ in 0..<count {
      bytes += pieces[random.next(below: pieces.count)].utf8
      bytes += fillers[random.next(below: fillers.count)].utf8
    }
    return bytes
  }

  /// Each format's candidates from a fresh scanner's sweep, sorted.
  static func sweptCandidates(_ bytes: UnsafeRawBufferPointer) -> [String: [Int]] {
    let scanner = LogScanner(formats: FormatRegistry.consoleFormats())
    var result: [String: [Int]] = [:]
    scanner.findCandidates(in: bytes) { index, offsets in result[scanner.formats[index].name] = offsets.sorted() }
    return result
  }

  @Test("the sweep finds what every format's own search found", arguments: 0..<40)
  func sameCandidatesAsPreviousSearches(seed: Int) {
    let text = Self.text(seed: UInt64(seed), count: 60)
    text.withUnsafeBytes { whole in
      // Whole texts and cuts at arbitrary points, as chunk edges would fall.
      var random = SplitMix(seed: UInt64(seed) &+ 1000)
      var ranges = [0..<whole.count]
      for _ in 0..<3 {
        let start = random.next(below: whole.count)
        ranges.append(start..<(start + random.next(below: whole.count - start + 1)))
      }
      for range in ranges {
        let bytes = UnsafeRawBufferPointer(rebasing: whole[range])
        let swept = Self.sweptCandidates(bytes)
        for format in FormatRegistry.consoleFormats() {
          let previous = PreviousCandidateSearch.offsets(format: format.name, in: bytes)
          #expect(swept[format.name] == previous, "\(format.name) in bytes \(range) of seed \(seed)")
        }
      }
    }
  }

  @Test("every piece alone, at offset 0 and ending at the last byte")
  func eachPieceAlone() {
    for piece in Self.pieces {
      Array(piece.utf8).withUnsafeBytes { bytes in
        let swept = Self.sweptCandidates(bytes)
        for format in FormatRegistry.consoleFormats() {
          #expect(swept[format.name] == PreviousCandidateSearch.offsets(format: format.name, in: bytes), "\(piece)")
        }
      }
    }
  }

  @Test("the vectorised and the byte-at-a-time loops report the same hits", arguments: 0..<20)
  func vectorisedMatchesScalar(seed: Int) {
    let anchors = FormatRegistry.consoleFormats().flatMap(\.anchors)
    let sweep = AnchorSweep(anchors: anchors)
    let text = Self.text(seed: UInt64(seed) &+ 500, count: 200)
    text.withUnsafeBytes { bytes in
      var vectorised: [UInt64] = []
      var scalar: [UInt64] = []
      sweep.find(in: bytes, into: &vectorised)
      sweep.find(in: bytes, into: &scalar, vectorised: false)
      #expect(vectorised == scalar)
      #expect(!vectorised.isEmpty)
    }
  }

  @Test("a caseless anchor matches every case and nothing else")
  func caselessAnchor() {
    let sweep = AnchorSweep(anchors: [Anchor("overflow", caseless: true), Anchor("Over")])
    let text = Array("OVERFLOW overflow OvErFlOw 0verflow Overflo".utf8)
    text.withUnsafeBytes { bytes in
      var hits: [UInt64] = []
      sweep.find(in: bytes, into: &hits)
      let found = hits.map { (offset: Int($0 >> 16), id: Int($0 & 0xFFFF)) }
      #expect(found.filter { $0.id == 0 }.map(\.offset) == [0, 9, 18])
      #expect(found.filter { $0.id == 1 }.map(\.offset) == [36])
    }
  }

  @Test("the sweep reports the first NUL byte as memchr finds it, from the vector loops and the byte loop")
  func firstNUL() {
    let sweep = AnchorSweep(anchors: FormatRegistry.consoleFormats().flatMap(\.anchors))
    var random = SplitMix(seed: 4242)
    for length in [0, 1, 2, 31, 32, 33, 63, 64, 65, 66, 67, 130, 200, 1000, 70_000] {
      var text = Self.text(seed: UInt64(length), count: 1 + length / 20)
      text = Array(text.prefix(length)) + [UInt8](repeating: 0x20, count: max(0, length - text.count))
      // No NUL, then one NUL at a random place, then a second one after it.
      for round in 0..<3 {
        if round > 0, !text.isEmpty { text[random.next(below: text.count)] = 0 }
        text.withUnsafeBytes { bytes in
          var hits: [UInt64] = []
          let expected = ByteScan.firstNUL(bytes)
          #expect(sweep.find(in: bytes, into: &hits) == expected, "length \(length), round \(round)")
          #expect(sweep.find(in: bytes, into: &hits, vectorised: false) == expected)
        }
      }
    }
  }

  @Test("the sweep counts the newlines before each hit and in the whole text", arguments: 0..<12)
  func newlinesBeforeHits(seed: Int) {
    let sweep = AnchorSweep(anchors: FormatRegistry.consoleFormats().flatMap(\.anchors))
    let text = Self.text(seed: UInt64(seed) &+ 500, count: 40 + 400 * seed)
    // before[i]: the newlines in text[..<i], counted byte by byte.
    var before = [0]
    for byte in text { before.append(before.last! + (byte == 0x0A ? 1 : 0)) }
    text.withUnsafeBytes { bytes in
      for vectorised in [true, false] {
        var hits: [UInt64] = []
        var newlines: [Int] = []
        let extras = sweep.find(in: bytes, into: &hits, newlines: &newlines, vectorised: vectorised)
        #expect(extras.newlines == before.last!)
        #expect(newlines.count == hits.count)
        #expect(!hits.isEmpty)
        let wrong = zip(hits, newlines).filter { hit, count in count != before[Int(hit >> 16)] }
        #expect(wrong.isEmpty, "first wrong count at offset \(wrong.first.map { $0.0 >> 16 } ?? 0)")
      }
    }
  }

  @Test("hits beyond the kernel's scratch space are all reported")
  func manyHits() {
    let sweep = AnchorSweep(anchors: [Anchor("{'"), Anchor("'{")])
    let text = [UInt8](repeating: 0, count: 100_001).enumerated().map { $0.offset % 2 == 0 ? UInt8(ascii: "{") : 0x27 }
    text.withUnsafeBytes { bytes in
      var hits: [UInt64] = []
      sweep.find(in: bytes, into: &hits)
      #expect(hits.count == 100_000)
      #expect(hits.map { Int($0 >> 16) } == Array(0..<100_000))
    }
  }
}

/// A small deterministic generator (SplitMix64) for test inputs.
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
  mutating func next(below bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
}
