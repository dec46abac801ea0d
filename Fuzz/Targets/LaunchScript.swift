@testable import LogParse

/// libFuzzer entry point. Launch scripts: shell words, variables and launcher flags.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
  let bytes = UnsafeRawBufferPointer(start: data, count: count)
  var unresolved: [(flag: String, names: [String], line: Int)] = []
  LaunchScriptReader.read(Array(bytes), into: { require($0.location.line >= 1, "event before line 1") }, unresolved: &unresolved)
  return 0
}
