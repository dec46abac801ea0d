import Testing

@testable import LogParse

/// The small caches that spare the DeepSpeed and Megatron parsers a `String` or an array per line.
@Suite("Parse caches")
struct ParseCacheTests {
  private func lookup(_ names: inout MegatronFieldNames, _ text: String, _ position: Int) -> MegatronFieldNames.Kind {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBytes { names.lookup(UnsafeRawBufferPointer($0), position: position).kind }
  }

  @Test("Megatron names keep their meaning when their order changes, and the table stays bounded")
  func megatronNames() {
    var names = MegatronFieldNames()
    #expect(lookup(&names, "learning rate", 0) == .learningRate)
    #expect(lookup(&names, "lm loss", 1) == .loss)
    #expect(lookup(&names, "grad norm", 2) == .gradNorm)
    // Same names, other positions: the position is only a hint.
    #expect(lookup(&names, "grad norm", 0) == .gradNorm)
    #expect(lookup(&names, "learning rate", 2) == .learningRate)
    #expect(lookup(&names, "TFLOPs", 1) == .ignored)
    // A name that is a prefix of a cached one is a different name.
    #expect(lookup(&names, "grad", 2) == .loss)
    for index in 0..<200 { _ = lookup(&names, "loss \(index)", index) }
    #expect(names.entries.count == MegatronFieldNames.capacity)
    #expect(lookup(&names, "loss 199", 0) == .loss)
    #expect(lookup(&names, "number of nan iterations", 0) == .nanIterations)
  }

  @Test("a repeated text gives the value read before; a changed one is read again")
  func repeatedText() {
    var cache = RepeatedTextCache<Int>()
    var reads = 0
    func value(_ text: String) -> Int {
      var bytes = Array(text.utf8)
      return bytes.withUnsafeMutableBytes {
        cache.value(for: UnsafeRawBufferPointer($0)) { bytes in
          reads += 1
          return bytes.count
        }
      }
    }
    #expect(value("(0.9, 0.999)") == 12)
    #expect(value("(0.9, 0.999)") == 12)
    #expect(reads == 1)
    #expect(value("(0.9, 0.995)") == 12)
    #expect(reads == 2)
    #expect(value("") == 0)
    #expect(value("") == 0)
    #expect(reads == 3)
    let long = String(repeating: "1, ", count: 200)
    #expect(value(long) == 600)
    #expect(value(long) == 600)
    #expect(reads == 5)  // longer than the cap: read every time
  }
}
