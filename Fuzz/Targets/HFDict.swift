@testable import LogParse

/// libFuzzer entry point. HF Trainer dicts, the banner and TrainingArguments dumps, scanned as one chunk.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
  let bytes = UnsafeRawBufferPointer(start: data, count: count)
  let state = HuggingFaceScanState()
  scanAsOneChunk(
    bytes,
    formats: [
      HuggingFaceDictFormat(state: state), HuggingFaceBannerFormat(state: state), TrainingArgumentsFormat(),
    ])
  return 0
}
