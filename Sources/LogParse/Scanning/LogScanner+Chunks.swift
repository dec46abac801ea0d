extension LogScanner {
  /// Scans one chunk from any source (a followed file, a range of a file) and hands its events to
  /// `consume`; the formats keep their state for the chunks that follow.
  public func scan(_ chunk: Chunk, _ consume: (LogEvent) -> Void) {
    scan(chunk)
    drain(consume)
  }

  /// Ends the input: formats emit what a pending block holds.
  public func finish(_ consume: (LogEvent) -> Void) {
    finishAndDrain(consume)
  }
}
