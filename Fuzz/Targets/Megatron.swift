@testable import LogParse

/// libFuzzer entry point. Megatron-LM iteration lines and argument dumps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
  let bytes = UnsafeRawBufferPointer(start: data, count: count)
  scanAsOneChunk(bytes, formats: [MegatronIterationFormat(), MegatronArgumentsFormat()])
  return 0
}
