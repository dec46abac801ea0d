internal import CPCRE2

/// An error reported by PCRE2, with the library's own message.
///
/// Compile errors carry the offset in the pattern where PCRE2 gave up, so that a bad pattern can be
/// pointed at precisely.
public struct PCRE2Error: Error, Sendable, CustomStringConvertible {
  /// What was being done when PCRE2 failed.
  public enum Operation: String, Sendable {
    case compile, match, allocate
  }

  public let operation: Operation
  /// PCRE2's error code (negative for match errors, positive for compile errors).
  public let code: Int32
  /// Where in the pattern a compile error was found, in bytes.
  public let patternOffset: Int?
  /// PCRE2's message for `code`.
  public let message: String

  init(operation: Operation, code: Int32, patternOffset: Int? = nil) {
    self.operation = operation
    self.code = code
    self.patternOffset = patternOffset
    self.message = PCRE2Error.text(for: code)
  }

  public var description: String {
    if let patternOffset {
      return "PCRE2 \(operation.rawValue) error \(code) at pattern offset \(patternOffset): \(message)"
    }
    return "PCRE2 \(operation.rawValue) error \(code): \(message)"
  }

  static func text(for code: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 256)
    let count = buffer.withUnsafeMutableBufferPointer { pointer in
      pcre2_get_error_message_8(code, pointer.baseAddress, pointer.count)
    }
    guard count > 0 else { return "unknown error" }
    return String(decoding: buffer[0..<Int(count)], as: UTF8.self)
  }
}
