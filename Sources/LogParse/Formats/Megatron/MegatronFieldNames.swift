/// Recognises the field names of Megatron iteration lines by their bytes.
///
/// Every iteration line repeats the same dozen names in the same order, so a name is looked up in
/// a short table of names already seen (the one at the same position first) and compared byte for
/// byte; a `String` is made only the first time a name appears. Building a `String` per field and
/// matching it against the known names cost ~20,000 instructions a line (callgrind, 48,000 lines).
struct MegatronFieldNames {
  /// What a field means to the parser.
  enum Kind: Equatable {
    case consumedSamples, learningRate, globalBatchSize, lossScale, gradNorm, skipped, nanIterations
    /// A known field that is never a loss (timings, throughput, norms…).
    case ignored
    /// Any other name: a loss key (`lm loss`, `mtp_1 loss`…).
    case loss
  }

  /// A name seen before, its meaning, and its text (shared by every ``NamedValue`` that uses it).
  struct Entry {
    var bytes: [UInt8]
    var kind: Kind
    var name: String
  }

  /// More distinct names than this in one input are read without caching them (a log whose "names"
  /// keep changing must not grow the table without bound).
  static let capacity = 64

  private(set) var entries: [Entry] = []

  /// The meaning and text of the field name `bytes`, which is the `position`-th field of its line.
  mutating func lookup(_ bytes: UnsafeRawBufferPointer, position: Int) -> (kind: Kind, name: String) {
    if position < entries.count, ByteText.equal(entries[position].bytes, bytes) {
      return (entries[position].kind, entries[position].name)
    }
    for entry in entries where ByteText.equal(entry.bytes, bytes) { return (entry.kind, entry.name) }
    let name = String(decoding: bytes, as: UTF8.self)
    let kind = Self.kind(of: name)
    if entries.count < Self.capacity { entries.append(Entry(bytes: Array(bytes), kind: kind, name: name)) }
    return (kind, name)
  }

  static func kind(of name: String) -> Kind {
    switch name {
    case "consumed samples": .consumedSamples
    case "learning rate": .learningRate
    case "global batch size": .globalBatchSize
    case "loss scale": .lossScale
    case "grad norm": .gradNorm
    case "number of skipped iterations": .skipped
    case "number of nan iterations": .nanIterations
    default: ignoredNames.contains(name) ? .ignored : .loss
    }
  }

  /// Fields that are never losses.
  static let ignoredNames: Set<String> = [
    "consumed tokens", "skipped samples", "elapsed time per iteration (ms)", "throughput per GPU (TFLOP/s/GPU)",
    "energy per GPU (J/iter/GPU)", "power per GPU (W/GPU)", "decoupled learning rate", "num zeros", "params norm",
    "curriculum seqlen", "random ltd reserved length", "actual seqlen", "samples per second",
    "tokens per gpu per second (tgs)", "TFLOPs",
  ]
}
