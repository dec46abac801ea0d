import LogParse

/// The candidate searches the console formats ran before ``AnchorSweep`` (one PCRE2 JIT search
/// loop per pattern over each chunk, as at commit cf92a11), kept as the reference the sweep must
/// agree with. The banner's label search assumes a fresh run state (no banner open before the chunk).
enum PreviousCandidateSearch {
  /// The offsets the format called `name` used to report in `bytes`, sorted.
  static func offsets(format name: String, in bytes: UnsafeRawBufferPointer) -> [Int] {
    var offsets: [Int] = []
    switch name {
    case "hf-dict":
      ByteScan.appendOffsets(of: UInt8(ascii: "{"), followedBy: 0x27, in: bytes, into: &offsets)
    case "hf-banner":
      var banner = try! Pattern(#"\*\*\*\*\* Running training \*\*\*\*\*|\*\*\*\*\* Running [A-Z]"#).makeMatcher()
      var labels = try! Pattern(
        #"Num examples = |Num Epochs = |Num update steps per epoch = |Instantaneous batch size per device = |Total train batch size \(|Gradient Accumulation steps = |Total optimization steps = |Number of trainable parameters = |Training with DataParallel|Continuing training from global|Resuming training from checkpoint"#
      ).makeMatcher()
      var start = 0
      var firstTrainingBanner: Int?
      while let match = try? banner.firstMatch(in: bytes, from: start) {
        offsets.append(match.lowerBound)
        if firstTrainingBanner == nil, match.count > 20 { firstTrainingBanner = match.lowerBound }
        start = match.upperBound
      }
      if let from = firstTrainingBanner {
        start = from
        while let match = try? labels.firstMatch(in: bytes, from: start) {
          offsets.append(match.lowerBound)
          start = match.upperBound
        }
      }
    case "hf-training-arguments": all(#"TrainingArguments\("#, bytes, &offsets)
    case "deepspeed-progress":
      all(#"(?<=step)=\d+, skipped=|(?<=SamplesPerSec)=|(?<=iter time )\(s\): "#, bytes, &offsets)
    case "deepspeed-overflow":
      all("overflow", options: .caseless, bytes, &offsets)
      all("Reducing dynamic", bytes, &offsets)
      all("already at minimum", bytes, &offsets)
    case "deepspeed-config-dump": all(#"DeepSpeedEngine configuration:|(?<=  json )= \{"#, bytes, &offsets)
    case "deepspeed-batch-error":
      all(#"Check batch related parameters|Please correct the following DeepSpeed config values"#, bytes, &offsets)
    case "launcher":
      all(
        #"(?<=WORLD INFO DICT: )\{|(?<=num_local_procs|dist_world_size|--world_info)=|(?<=world_size )= \d"#, bytes,
        &offsets)
    case "launch-command-line":
      let launcher = "(?:torchrun|deepspeed|accelerate|srun|python)"
      all(#"(?<=\] cmd )= "#, bytes, &offsets)
      all(#"^\++ (?=\S*"# + launcher + ")", options: .multiline, bytes, &offsets)
      all(#"\$ (?="# + launcher + ")", bytes, &offsets)
    case "megatron-iteration": all(#"iteration +\d+/ *\d+ \|"#, bytes, &offsets)
    case "megatron-arguments": all("-------- arguments --------", bytes, &offsets)
    default: preconditionFailure("no previous search for \(name)")
    }
    return offsets.sorted()
  }

  private static func all(
    _ pattern: String, options: Pattern.Options = [], _ bytes: UnsafeRawBufferPointer, _ offsets: inout [Int]
  ) {
    var matcher = try! Pattern(pattern, options: options).makeMatcher()
    matcher.appendMatchStarts(in: bytes, into: &offsets)
  }
}
