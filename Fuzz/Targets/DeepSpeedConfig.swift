@testable import LogParse

/// libFuzzer entry point. DeepSpeed JSON config files: the ordered JSON reader and the settings read from it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
  let bytes = UnsafeRawBufferPointer(start: data, count: count)
  var events: [LogEvent] = []
  do throws(InputError) {
    try DeepSpeedConfigReader.read(Array(bytes), path: "fuzz", into: &events)
  } catch {
    require((error.line ?? 1) >= 1, "error before line 1")
  }
  return 0
}
