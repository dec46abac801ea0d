/// Reads a whole small input (a config file, a launch script) into memory.
enum SmallFile {
  /// Config files and launch scripts are kilobytes; anything past this is not one.
  static let maxBytes = 16 * 1024 * 1024

  static func read(_ path: String) throws(InputError) -> [UInt8] {
    var reader = try ChunkReader(path: path)
    var bytes: [UInt8] = []
    while let chunk = try reader.next() {
      bytes.append(contentsOf: chunk.bytes)
      if bytes.count > maxBytes {
        throw InputError(
          path: path, kind: .malformed, detail: "larger than \(maxBytes / 1024 / 1024) MiB; not a config file")
      }
    }
    return bytes
  }
}
