extension Matcher {
  /// Appends the start of every match in `bytes` to `offsets`: how formats find their candidates
  /// in a whole chunk with one JIT search loop (performance.md item 1).
  public mutating func appendMatchStarts(in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    var start = 0
    while let match = try? firstMatch(in: bytes, from: start) {
      offsets.append(match.lowerBound)
      start = match.upperBound > match.lowerBound ? match.upperBound : match.upperBound + 1
    }
  }
}
