#if canImport(Glibc)
  import Glibc
#endif
@testable import LogParse

/// libFuzzer entry point: the number parser's fast tiers (Clinger, Eisel-Lemire) against `strtod`.
///
/// Whenever a fast tier decides a value, `strtod` must read the same whole text to the same bits;
/// `parseDouble` must never crash on anything.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
  let bytes = UnsafeRawBufferPointer(start: data, count: count)
  _ = NumberParser.parseDouble(bytes)
  _ = NumberParser.parseInt(bytes)
  guard let fast = NumberParser.fastDouble(bytes) else { return 0 }
  var text = Array(bytes).map { CChar(bitPattern: $0) }
  text.append(0)
  var consumed = 0
  let expected = text.withUnsafeMutableBufferPointer { buffer -> Double in
    var end: UnsafeMutablePointer<CChar>?
    let value = strtod(buffer.baseAddress!, &end)
    consumed = end.map { buffer.baseAddress!.distance(to: $0) } ?? 0
    return value
  }
  let shown = String(decoding: bytes.prefix(60), as: UTF8.self)
  require(consumed == count, "fast tier accepted '\(shown)', which strtod reads only \(consumed) bytes of")
  require(fast.bitPattern == expected.bitPattern, "'\(shown)': fast tier \(fast), strtod \(expected)")
  return 0
}
