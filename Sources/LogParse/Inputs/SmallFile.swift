/// Reads a whole small input (a config file, a launch script) into memory.
enum SmallFile {
  /// Config files and launch scripts are kilobytes; anything past this is not one.
  static let maxBytes = 16 * 1024 * 1024

  static func read(_ path: String) throws(InputError) -> [UInt8] {
    var reader = try ChunkReader(path: path)
    var bytes: [UInt8] = []
    while let chunk = try reader.next() {
      if let nul = ByteScan.firstNUL(chunk.bytes) {
        throw InputError.binary(path: path, offset: chunk.startOffset + Int64(nul), what: "not a config file")
      }
      bytes.append(contentsOf: chunk.bytes)
      if bytes.count > maxBytes {
        throw InputError(
          path: path, kind: .malformed, detail: "larger than \(maxBytes / 1024 / 1024) MiB; not a config file")
      }
    }
    return bytes
  }
}
