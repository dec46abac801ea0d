@testable import LogParse

/// Scans `bytes` as one chunk with `formats`, in input order, and checks what a format may return.
///
/// Every event must point inside the input: a line at least 1 and an offset within the bytes.
func scanAsOneChunk(_ bytes: UnsafeRawBufferPointer, formats: [any LogFormat]) {
  let scanner = LogScanner(formats: formats)
  let chunk = Chunk(bytes: bytes, firstLine: 1, startOffset: 0, endsWithCutSegment: false)
  let count = Int64(bytes.count)
  let check: (LogEvent) -> Void = { event in
    let location = event.location
    require(location.line >= 1, "event before line 1")
    require(location.offset >= 0 && location.offset <= count, "event offset outside the input")
  }
  scanner.scan(chunk, check)
  scanner.finish(check)
}

/// Stops the run with `message` when `condition` fails (optimised builds drop precondition messages).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
  guard !condition else { return }
  print("fuzz invariant broken: \(message())")
  fatalError(message())
}
