extension LogScanner {
  /// Reads the input at `path` (`-` for standard input) with fresh formats and hands every event to
  /// `consume`.
  ///
  /// A NUL byte means binary data (ripgrep's test): unless `allowBinary` is set, reading stops at
  /// the segment holding the first NUL, after the records before it have been delivered, and an
  /// ``InputError`` of kind ``InputError/Kind/binary`` names its line and byte. A file that starts
  /// binary (a core dump, `/dev/zero`) therefore yields nothing; a log whose tail was padded with
  /// NULs by a crash keeps everything before the padding.
  ///
  /// - Throws: ``InputError`` for a file that cannot be opened or read, or holds binary data.
  ///   Events read before the problem have already been delivered.
  public static func scanFile(
    _ path: String, formats: [any LogFormat] = FormatRegistry.consoleFormats(), allowBinary: Bool = false,
    readSize: Int = ChunkReader.defaultReadSize, maxSegmentLength: Int = ChunkReader.defaultMaxSegmentLength,
    _ consume: (LogEvent) -> Void
  ) throws(InputError) -> ChunkReader.Statistics {
    var reader = try ChunkReader(path: path, readSize: readSize, maxSegmentLength: maxSegmentLength)
    let scanner = LogScanner(formats: formats)
    while let chunk = try reader.next(newlinesInPreviousChunk: scanner.newlinesInLastChunk) {
      if allowBinary {
        scanner.scan(chunk)
      } else if let nul = scanner.scanText(chunk) {
        scanner.scanSegments(of: chunk, before: nul)
        scanner.finishAndDrain(consume)
        // Zeros where the file was cut under the mapping are no binary data.
        if let truncation = reader.truncationError() { throw truncation }
        let line = chunk.firstLine + ByteScan.countNewlines(chunk.bytes, in: 0..<nul)
        throw binaryError(
          path: path, line: line, offset: chunk.startOffset + Int64(nul),
          startsFile: chunk.startOffset == 0 && ByteScan.segmentStart(chunk.bytes, before: nul) == 0)
      }
      scanner.drain(consume)
    }
    scanner.finishAndDrain(consume)
    return reader.statistics
  }

  /// The error for a NUL byte at `offset`, on `line`; `startsFile` when it is in the file's first
  /// segment (nothing was read before it).
  static func binaryError(path: String, line: Int, offset: Int64, startsFile: Bool) -> InputError {
    if startsFile { return InputError.binary(path, nulAt: Int(offset)) }
    let detail =
      "binary file: a NUL byte at line \(line); the lines before it were read, the rest was skipped "
      + "(--binary reads it as text)"
    return InputError(path: path, kind: .binary, detail: detail, line: line, byteOffset: offset)
  }
}

extension LogScanner {
  /// Scans the whole segments of `chunk` that come before the one holding offset `nul` (a NUL
  /// byte: binary data, where a refused input stops).
  func scanSegments(of chunk: Chunk, before nul: Int) {
    let start = ByteScan.segmentStart(chunk.bytes, before: nul)
    guard start > 0 else { return }
    scan(
      Chunk(
        bytes: UnsafeRawBufferPointer(rebasing: chunk.bytes[0..<start]), firstLine: chunk.firstLine,
        startOffset: chunk.startOffset, endsWithCutSegment: false))
  }
}
