@testable import LogParse

/// libFuzzer entry point. `trainer_state.json`: the lenient JSON reader, the state reader, and the
/// salvage of complete `log_history` entries from a file that is not valid JSON.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
  let array = Array(UnsafeRawBufferPointer(start: data, count: count))
  let root = (try? TrainerStateReader.parse(array, path: "fuzz")) ?? TrainerStateReader.salvageLogHistory(array)
  if let root {
    TrainerStateReader.emit(root, bytes: array) { event in
      require(
        event.location.line >= 1 && event.location.offset <= Int64(array.count), "event outside the input")
    }
  }
  return 0
}
