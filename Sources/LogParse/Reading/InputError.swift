#if canImport(Glibc)
  internal import Glibc
#endif

/// A problem opening or reading an input: the path and what went wrong, ready to show a user.
public struct InputError: Error, Sendable, CustomStringConvertible {
  public enum Kind: String, Sendable {
    case notFound = "no such file"
    case isDirectory = "is a directory"
    case permissionDenied = "permission denied"
    case readFailed = "read failed"
    case binary = "binary file"
    case malformed = "malformed input"
  }

  public let path: String
  public let kind: Kind
  /// The operating system's or the parser's own words.
  public let detail: String
  /// Where in the input it happened, when known (1-based line).
  public let line: Int?
  /// Byte offset in the input, when known.
  public let byteOffset: Int64?

  public init(path: String, kind: Kind, detail: String, line: Int? = nil, byteOffset: Int64? = nil) {
    self.path = path
    self.kind = kind
    self.detail = detail
    self.line = line
    self.byteOffset = byteOffset
  }

  init(path: String, errno code: Int32) {
    let kind: Kind
    switch code {
    case ENOENT, ENOTDIR: kind = .notFound
    case EISDIR: kind = .isDirectory
    case EACCES, EPERM: kind = .permissionDenied
    default: kind = .readFailed
    }
    self.init(path: path, kind: kind, detail: String(cString: strerror(code)))
  }

  /// A whole-file input (a config, a JSON file) holding a NUL byte at `offset`.
  static func binary(path: String, offset: Int64, what: String) -> InputError {
    InputError(
      path: path, kind: .binary, detail: "binary data (NUL byte at byte \(offset)); \(what), skipped", byteOffset: offset)
  }

  /// The refusal of a file that looks binary: a NUL byte in its first chunk, as ripgrep decides.
  static func binary(_ path: String, nulAt offset: Int) -> InputError {
    InputError(
      path: path, kind: .binary, detail: "binary file (NUL byte at byte \(offset)); skipped (--binary reads it as text)", byteOffset: Int64(offset))
  }

  public var description: String {
    var place = path
    if let line { place += ":\(line)" }
    if let byteOffset { place += " (byte \(byteOffset))" }
    return "\(place): \(detail)"
  }
}
