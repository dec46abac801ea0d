#if canImport(Glibc)
  internal import Glibc
#endif

/// Reads a small structured input (a JSON file, a JSON Lines file) into memory at once.
///
/// Structured inputs are parsed as a whole, unlike console logs, which stream through
/// ``ChunkReader``. `trainer_state.json` files run to a few MB at most.
enum WholeFileReader {
  /// Refuse larger files rather than exhaust memory on a mistaken input.
  static let maximumSize = 1 << 30

  /// The bytes of `path` (`-` is standard input).
  static func contents(of path: String) throws(InputError) -> [UInt8] {
    let descriptor: Int32
    if path == "-" {
      descriptor = STDIN_FILENO
    } else {
      descriptor = open(path, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else { throw InputError(path: path, errno: errno) }
    }
    defer { if path != "-" { close(descriptor) } }
    var info = stat()
    if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { throw InputError(path: path, errno: EISDIR) }
    var bytes: [UInt8] = []
    var block = [UInt8](repeating: 0, count: 256 * 1024)
    while true {
      // SAFETY: `block` is a live array of `block.count` bytes for the duration of the call.
      let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw InputError(path: path, errno: errno)
      }
      if count == 0 { break }
      // A NUL is binary data (a core dump, /dev/zero, a disk block never written): stop at once.
      if let nul = block[0..<count].firstIndex(of: 0) {
        throw InputError.binary(path: path, offset: Int64(bytes.count + nul), what: "not a JSON file")
      }
      bytes.append(contentsOf: block[0..<count])
      if bytes.count > maximumSize {
        throw InputError(
          path: path, kind: .malformed, detail: "larger than \(maximumSize >> 20) MiB; not a training-state file")
      }
    }
    return bytes
  }

  /// The 1-based line of byte `offset`.
  static func line(of offset: Int, in bytes: [UInt8]) -> Int {
    var line = 1
    for byte in bytes[0..<min(offset, bytes.count)] where byte == 0x0A { line += 1 }
    return line
  }
}
