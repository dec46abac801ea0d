extension LogScanner {
  /// Reads the input at `path` (`-` for standard input) with fresh formats and hands every event to
  /// `consume`.
  ///
  /// A file whose first chunk holds a NUL byte is treated as binary, as ripgrep does, and refused
  /// unless `allowBinary` is set.
  ///
  /// - Throws: ``InputError`` for a file that cannot be opened or read, or is binary. Events read
  ///   before a read failure have already been delivered.
  public static func scanFile(
    _ path: String, formats: [any LogFormat] = FormatRegistry.consoleFormats(), allowBinary: Bool = false,
    readSize: Int = ChunkReader.defaultReadSize, maxSegmentLength: Int = ChunkReader.defaultMaxSegmentLength,
    _ consume: (LogEvent) -> Void
  ) throws(InputError) -> ChunkReader.Statistics {
    var reader = try ChunkReader(path: path, readSize: readSize, maxSegmentLength: maxSegmentLength)
    let scanner = LogScanner(formats: formats)
    var first = true
    while let chunk = try reader.next(newlinesInPreviousChunk: scanner.newlinesInLastChunk) {
      if first, !allowBinary, let nul = ByteScan.firstNUL(chunk.bytes) {
        throw InputError.binary(path, nulAt: nul)
      }
      first = false
      scanner.scan(chunk)
      scanner.drain(consume)
    }
    scanner.finish()
    scanner.drain(consume)
    return reader.statistics
  }
}
