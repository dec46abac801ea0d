@testable import LogParse

/// libFuzzer entry point. DeepSpeed console lines: progress, overflow, the engine's config dump and the batch assertion.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
  let bytes = UnsafeRawBufferPointer(start: data, count: count)
  scanAsOneChunk(
    bytes,
    formats: [
      DeepSpeedProgressFormat(), DeepSpeedOverflowFormat(), DeepSpeedConfigDumpFormat(), DeepSpeedBatchErrorFormat(),
      LauncherFormat(), LaunchCommandLineFormat(),
    ])
  return 0
}
