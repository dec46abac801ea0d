@testable import LogParse

/// libFuzzer entry point. `trainer_state.json` and LLaMA-Factory JSON Lines: the lenient JSON reader and what reads its values.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
  let bytes = UnsafeRawBufferPointer(start: data, count: count)
  let array = Array(bytes)
  if let root = try? TrainerStateReader.parse(array, path: "fuzz") {
    TrainerStateReader.emit(root, bytes: array) { event in
      require(event.location.line >= 1 && event.location.offset <= Int64(array.count), "event outside the input")
    }
  }
  return 0
}
