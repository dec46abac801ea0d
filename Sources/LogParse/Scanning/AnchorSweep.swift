internal import CPCRE2

/// Finds many literals in one pass over a chunk.
///
/// Every format used to run its own PCRE2 JIT search over every chunk: eleven sweeps, ~1.5 CPU s
/// per GiB for the ten that are not HF dicts (an alternation of literals in one pattern was 3–5×
/// slower than one literal). Here all anchors share one sweep (`cpcre2_anchor_scan` in the shim,
/// a Teddy-style nibble-mask filter, AVX2 when the CPU has it): each anchor gets a three-byte
/// fingerprint, chosen where its bytes are rarest in logs, and one of eight buckets, chosen so that
/// the buckets' combined masks let through as little ordinary text as possible; what passes the
/// filter is compared in full.
///
/// - Complexity: O(n) in the chunk's length, plus the literal comparisons of filter hits.
final class AnchorSweep {
  private let anchors: [Anchor]
  private var program = cpcre2_anchor_program()
  private let literalBytes: UnsafeMutablePointer<UInt8>
  private let starts: UnsafeMutablePointer<UInt32>
  private let lengths: UnsafeMutablePointer<UInt16>
  private let fingerprints: UnsafeMutablePointer<UInt16>
  private let caseless: UnsafeMutablePointer<UInt8>
  private let ids: UnsafeMutablePointer<UInt16>
  private let words: UnsafeMutablePointer<UInt32>
  private let wordMasks: UnsafeMutablePointer<UInt32>
  private let folds: UnsafeMutablePointer<UInt32>
  private let scratch: UnsafeMutablePointer<UInt64>
  /// Beside `scratch`: the `\n` bytes before each hit.
  private let scratchNewlines: UnsafeMutablePointer<Int>
  private let scratchCapacity: Int

  /// A sweep for `anchors`; a hit's id is the anchor's index in this array.
  init(anchors: [Anchor]) {
    precondition(anchors.count < 1 << 16)
    // The newlines before a hit are counted where its fingerprint is found, not at its start.
    precondition(anchors.allSatisfy { !$0.bytes.contains(0x0A) }, "an anchor holds a newline")
    self.anchors = anchors
    let count = max(anchors.count, 1)
    let total = anchors.reduce(0) { $0 + $1.bytes.count }
    literalBytes = .allocate(capacity: max(total, 1))
    starts = .allocate(capacity: count)
    lengths = .allocate(capacity: count)
    fingerprints = .allocate(capacity: count)
    caseless = .allocate(capacity: count)
    ids = .allocate(capacity: count)
    words = .allocate(capacity: count)
    wordMasks = .allocate(capacity: count)
    folds = .allocate(capacity: count)
    // Room for one resumable stretch of hits; a full step needs 32 per literal.
    scratchCapacity = 8192 + 32 * count
    scratch = .allocate(capacity: scratchCapacity)
    scratchNewlines = .allocate(capacity: scratchCapacity)
    build()
  }

  deinit {
    literalBytes.deallocate()
    starts.deallocate()
    lengths.deallocate()
    fingerprints.deallocate()
    caseless.deallocate()
    ids.deallocate()
    words.deallocate()
    wordMasks.deallocate()
    folds.deallocate()
    scratch.deallocate()
    scratchNewlines.deallocate()
  }

  /// What a sweep notes besides the anchors, from bytes it loads anyway: a separate pass would
  /// load every byte once more, and the first pass over a chunk is the one that waits for memory.
  struct Extras {
    /// The offset of the first NUL byte (binary data), if any.
    var firstNUL: Int?
    /// The `\n` bytes in the whole of the bytes swept.
    var newlines: Int
  }

  /// Appends `offset << 16 | id` for every occurrence of every anchor in `bytes`, sorted, and
  /// beside each in `newlines` the number of `\n` bytes before it.
  ///
  /// Occurrences may overlap (`-------- arguments --------` twice sharing its dashes): each is
  /// reported. `vectorised: false` runs the byte-at-a-time loop over the same masks (for tests).
  @discardableResult
  func find(
    in bytes: UnsafeRawBufferPointer, into hits: inout [UInt64], newlines: inout [Int], vectorised: Bool = true
  ) -> Extras {
    guard let base = bytes.baseAddress else { return Extras(firstNUL: nil, newlines: 0) }
    guard !anchors.isEmpty else {
      return Extras(firstNUL: ByteScan.firstNUL(bytes), newlines: ByteScan.countNewlines(bytes, in: 0..<bytes.count))
    }
    let first = hits.count
    let firstCount = newlines.count
    var position = 0
    // SIZE_MAX, the C side's "none", is -1 as an Int.
    var state = cpcre2_anchor_state(first_nul: -1, newlines: 0, hit_newlines: scratchNewlines)
    let data = base.assumingMemoryBound(to: UInt8.self)
    withUnsafePointer(to: &program) { program in
      while position < bytes.count {
        var next = 0
        // SAFETY: the kernel reads data[0..<bytes.count] and writes at most scratchCapacity hits
        // and as many counts.
        let found = cpcre2_anchor_scan(
          program, data, bytes.count, position, scratch, scratchCapacity, &next, vectorised, &state)
        hits.append(contentsOf: UnsafeBufferPointer(start: scratch, count: found))
        newlines.append(contentsOf: UnsafeBufferPointer(start: scratchNewlines, count: found))
        position = next
      }
    }
    // Hits come in fingerprint order; anchors whose fingerprints sit at different depths can
    // come out of start order. The counts are sorted on their own: both grow with the offset,
    // so sorting each keeps every count beside its hit.
    var sorted = true
    var index = first + 1
    while index < hits.count {
      if hits[index - 1] > hits[index] {
        sorted = false
        break
      }
      index += 1
    }
    if !sorted {
      hits[first...].sort()
      newlines[firstCount...].sort()
    }
    return Extras(firstNUL: state.first_nul < 0 ? nil : state.first_nul, newlines: state.newlines)
  }

  /// ``find(in:into:newlines:vectorised:)`` without the counts; returns the first NUL byte.
  @discardableResult
  func find(in bytes: UnsafeRawBufferPointer, into hits: inout [UInt64], vectorised: Bool = true) -> Int? {
    var newlines: [Int] = []
    return find(in: bytes, into: &hits, newlines: &newlines, vectorised: vectorised).firstNUL
  }

  // MARK: - Building the masks

  private func build() {
    var order: [(anchor: Int, bucket: Int, fingerprint: Int)] = []
    var bucketMasks = [[UInt8]](repeating: [UInt8](repeating: 0, count: 6 * 16), count: 8)
    var bucketUsed = [Bool](repeating: false, count: 8)
    // The anchors that let the most text through go first and so get buckets of their own
    // (two-byte `{'` has a wildcard third byte); later ones join the bucket whose pass rate they
    // raise least.
    let own = anchors.indices.map { anchor -> (anchor: Int, fingerprint: Int, masks: [UInt8], rate: Double) in
      let fingerprint = Self.rarestWindow(anchors[anchor])
      let masks = Self.masks(anchors[anchor], at: fingerprint)
      return (anchor, fingerprint, masks, Self.passRate(masks))
    }
    for (anchor, fingerprint, masks, rate) in own.sorted(by: { ($0.rate, $1.anchor) > ($1.rate, $0.anchor) }) {
      var best = 0
      var bestCost = Double.infinity
      for bucket in 0..<8 {
        let cost =
          bucketUsed[bucket]
          ? Self.passRate(zip(bucketMasks[bucket], masks).map { $0 | $1 }) - Self.passRate(bucketMasks[bucket])
          : rate
        if cost < bestCost {
          bestCost = cost
          best = bucket
        }
      }
      bucketMasks[best] = zip(bucketMasks[best], masks).map { $0 | $1 }
      bucketUsed[best] = true
      order.append((anchor, best, fingerprint))
    }
    order.sort { ($0.bucket, $0.anchor) < ($1.bucket, $1.anchor) }
    withUnsafeMutableBytes(of: &program.masks) { masks in
      for bucket in 0..<8 {
        for index in 0..<(6 * 16) where bucketMasks[bucket][index] != 0 { masks[index] |= 1 << UInt8(bucket) }
      }
    }
    var offset = 0
    withUnsafeMutableBytes(of: &program.bucket_start) { raw in
      let bucketStart = raw.bindMemory(to: UInt16.self)
      for bucket in 0...8 { bucketStart[bucket] = UInt16(order.firstIndex { $0.bucket >= bucket } ?? order.count) }
    }
    for (slot, entry) in order.enumerated() {
      let anchor = anchors[entry.anchor]
      let literal = anchor.caseless ? anchor.bytes.map(Self.lowercased) : anchor.bytes
      for (index, byte) in literal.enumerated() { literalBytes[offset + index] = byte }
      starts[slot] = UInt32(offset)
      lengths[slot] = UInt16(literal.count)
      fingerprints[slot] = UInt16(entry.fingerprint)
      caseless[slot] = anchor.caseless ? 1 : 0
      ids[slot] = UInt16(entry.anchor)
      (words[slot], wordMasks[slot], folds[slot]) = (0, 0, 0)
      for k in 0..<min(4, literal.count - entry.fingerprint) {
        let byte = literal[entry.fingerprint + k]
        words[slot] |= UInt32(byte) << (8 * k)
        wordMasks[slot] |= 0xFF << (8 * k)
        if anchor.caseless, Self.lowercased(byte) != Self.uppercased(byte) { folds[slot] |= 0x20 << (8 * k) }
      }
      offset += literal.count
    }
    program.literal_count = UInt32(anchors.count)
    program.bytes = UnsafePointer(literalBytes)
    program.start = UnsafePointer(starts)
    program.length = UnsafePointer(lengths)
    program.fingerprint_at = UnsafePointer(fingerprints)
    program.caseless = UnsafePointer(caseless)
    program.id = UnsafePointer(ids)
    program.word = UnsafePointer(words)
    program.mask = UnsafePointer(wordMasks)
    program.fold = UnsafePointer(folds)
  }

  /// Low- and high-nibble masks (6 × 16 flags) of the anchor's window at `start`; a window byte
  /// past the anchor's end matches anything.
  private static func masks(_ anchor: Anchor, at start: Int) -> [UInt8] {
    var masks = [UInt8](repeating: 0, count: 6 * 16)
    for k in 0..<3 {
      guard start + k < anchor.bytes.count else {
        for nibble in 0..<16 {
          masks[2 * k * 16 + nibble] = 1
          masks[(2 * k + 1) * 16 + nibble] = 1
        }
        continue
      }
      for byte in variants(anchor.bytes[start + k], caseless: anchor.caseless) {
        masks[2 * k * 16 + Int(byte & 15)] = 1
        masks[(2 * k + 1) * 16 + Int(byte >> 4)] = 1
      }
    }
    return masks
  }

  /// The share of log bytes whose three-byte windows pass `masks` (bytes taken as independent).
  private static func passRate(_ masks: [UInt8]) -> Double {
    var rate = 1.0
    for k in 0..<3 {
      var share = 0.0
      for byte in 0..<256 where masks[2 * k * 16 + (byte & 15)] != 0 && masks[(2 * k + 1) * 16 + (byte >> 4)] != 0 {
        share += frequency(UInt8(byte))
      }
      rate *= share
    }
    return rate
  }

  /// Where the anchor's three-byte fingerprint should sit: the window whose bytes are rarest.
  private static func rarestWindow(_ anchor: Anchor) -> Int {
    guard anchor.bytes.count > 3 else { return 0 }
    var best = 0
    var bestRate = Double.infinity
    for start in 0...(anchor.bytes.count - 3) {
      var rate = 1.0
      for k in 0..<3 {
        rate *= variants(anchor.bytes[start + k], caseless: anchor.caseless).reduce(0) { $0 + frequency($1) }
      }
      if rate < bestRate {
        bestRate = rate
        best = start
      }
    }
    return best
  }

  private static func variants(_ byte: UInt8, caseless: Bool) -> [UInt8] {
    guard caseless, lowercased(byte) != uppercased(byte) else { return [byte] }
    return [lowercased(byte), uppercased(byte)]
  }

  private static func lowercased(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
  private static func uppercased(_ byte: UInt8) -> UInt8 { (0x61...0x7A).contains(byte) ? byte & ~0x20 : byte }

  /// Printable bytes of console logs from most to least frequent, and their shares in thousandths
  /// (measured on the shared corpus and the generated mixed log, weighted equally); a byte not
  /// listed counts as rarer than all of them.
  private static let commonBytes = Array(
    " 0eat1:rs2on'i3/.c94l5d,_6p87gmhu[]|\n-\rfbNyI<%FOk=vCPwG{}x>)(BS\"TAL*WR+UzMqE^DjH\\`".utf8)
  private static let commonShares: [Double] = [
    210, 68, 41, 31, 27, 27, 27, 26, 25, 23, 23, 23, 20, 20, 18, 18, 17, 17, 17, 16, 16, 15, 14, 13, 12, 12, 12, 11,
    11, 9.3, 8.4, 7.7, 7.7, 7.5, 7.4, 7.3, 7.3, 7.3, 6.6, 6.4, 5.3, 5.1, 4.2, 3.8, 3.2, 3.2, 3.2, 3.1, 2.8, 2.7, 2.6,
    2.5, 2, 2, 2, 1.7, 1.7, 1.6, 1.6, 1.4, 1.4, 1.3, 1.1, 1, 1, 0.93, 0.88, 0.82, 0.76, 0.72, 0.69, 0.59, 0.56, 0.54,
    0.51, 0.43, 0.4, 0.28, 0.22, 0.17, 0.15, 0.11,
  ]

  private static let frequencies: [Double] = {
    precondition(commonBytes.count == commonShares.count)
    var table = [Double](repeating: 0.00005, count: 256)
    for (byte, share) in zip(commonBytes, commonShares) { table[Int(byte)] = share / 1000 }
    return table
  }()

  private static func frequency(_ byte: UInt8) -> Double { frequencies[Int(byte)] }
}
