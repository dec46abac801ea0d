#if canImport(Glibc)
  import Glibc
#endif
@testable import LogParse

/// One unlinked scratch file, rewritten for every input.
let scratchDescriptor: Int32 = {
  var template = Array("/tmp/diagnose-fuzz-XXXXXX".utf8CString)
  let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
  precondition(descriptor >= 0)
  template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
  return descriptor
}()

/// libFuzzer entry point: the chunk reader with tiny read sizes and segment caps taken from the
/// input's first two bytes, feeding every console format.
///
/// Checks what the reader promises: chunks tile the input (offsets continue, each chunk ends at a
/// terminator unless it is the last or cut), lines only go forward, and the bytes dropped from cut
/// segments add up.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
  guard count >= 2, let data else { return 0 }
  let readSize = Int(data[0] % 64) + 1
  let maxSegment = Int(data[1] % 128) + 1
  let body = UnsafeRawBufferPointer(start: data + 2, count: count - 2)
  let descriptor = scratchDescriptor
  precondition(ftruncate(descriptor, 0) == 0)
  lseek(descriptor, 0, SEEK_SET)
  var written = 0
  while written < body.count {
    let result = write(descriptor, body.baseAddress! + written, body.count - written)
    precondition(result > 0)
    written += result
  }
  lseek(descriptor, 0, SEEK_SET)
  var reader = ChunkReader(fileDescriptor: descriptor, name: "fuzz", readSize: readSize, maxSegmentLength: maxSegment)
  let scanner = LogScanner(formats: FormatRegistry.consoleFormats())
  var expectedOffset: Int64 = 0
  var lastLine = 1
  var delivered: Int64 = 0
  while let chunk = try? reader.next() {
    require(chunk.startOffset >= expectedOffset, "chunks went backwards")
    require(chunk.firstLine >= lastLine, "lines went backwards")
    require(!chunk.bytes.isEmpty, "empty chunk")
    let last = chunk.bytes[chunk.bytes.count - 1]
    let endsAtInputEnd = chunk.startOffset + Int64(chunk.bytes.count) == Int64(body.count)
    require(last == 0x0A || last == 0x0D || chunk.endsWithCutSegment || endsAtInputEnd, "chunk ends mid-segment")
    chunk.forEachSegment { segment in
      // The cap is checked before each read, so a segment ending within the next read can pass it by up to one read.
      require(segment.bytes.count <= maxSegment + readSize, "segment longer than the cap plus one read")
      require(segment.line >= lastLine, "segment line went backwards")
      lastLine = segment.line
    }
    expectedOffset = chunk.startOffset + Int64(chunk.bytes.count)
    delivered += Int64(chunk.bytes.count)
    scanner.scan(chunk) { require($0.location.line >= 1, "event before line 1") }
  }
  scanner.finish { _ in }
  require(reader.statistics.bytesRead == Int64(body.count), "not everything was read")
  require(delivered + reader.statistics.discardedBytes <= Int64(body.count), "more bytes than the input")
  return 0
}
