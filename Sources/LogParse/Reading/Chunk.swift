/// A run of complete segments read from an input, borrowed from the reader's buffer.
///
/// Every segment in `bytes` is whole: it ends at `\n` or `\r`, or it is the input's last segment,
/// or it is a segment cut at the length cap (`endsWithCutSegment`). The memory is valid only until
/// the reader is asked for the next chunk.
public struct Chunk {
  /// The bytes, valid until the next call to ``ChunkReader/next()``.
  public let bytes: UnsafeRawBufferPointer
  /// The 1-based line number of `bytes[0]` (lines are counted by `\n`).
  public let firstLine: Int
  /// The byte offset of `bytes[0]` in the input.
  public let startOffset: Int64
  /// Whether the final unterminated segment was cut at the length cap (the rest was discarded).
  public let endsWithCutSegment: Bool

  /// Calls `body` for each non-empty segment, split at `\n`, `\r\n` and bare `\r`.
  ///
  /// - Complexity: O(n) in the chunk's size.
  public func forEachSegment(_ body: (Segment) throws -> Void) rethrows {
    var cursor = LineCursor(firstLine: firstLine)
    var start = 0
    let count = bytes.count
    while start < count {
      let end = ByteScan.segmentEnd(bytes, from: start)
      if end > start {
        let line = cursor.line(at: start, in: bytes)
        let isCut = endsWithCutSegment && end == count
        try body(
          Segment(
            bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), line: line,
            offset: startOffset + Int64(start), isCut: isCut))
      }
      start = end + 1
    }
  }
}

/// One segment of a log: the bytes between two line terminators, without them.
///
/// A "segment" is what a person sees as a line on a terminal: tqdm redraws its bar with a bare
/// `\r`, so a physical line may hold many segments. The bytes are borrowed and valid only during
/// the call that received them.
public struct Segment {
  public let bytes: UnsafeRawBufferPointer
  /// The physical line number (1-based, counting `\n`).
  public let line: Int
  /// The byte offset of the segment's first byte in the input.
  public let offset: Int64
  /// Whether the segment was longer than the cap and was cut.
  public let isCut: Bool

  public init(bytes: UnsafeRawBufferPointer, line: Int, offset: Int64, isCut: Bool = false) {
    self.bytes = bytes
    self.line = line
    self.offset = offset
    self.isCut = isCut
  }

  public var location: SourceLocation { SourceLocation(line: line, offset: offset) }
}
