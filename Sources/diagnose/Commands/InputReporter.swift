import LogParse

#if canImport(Glibc)
  import Glibc
#endif

/// Writes problems with inputs to standard error, one clear line each, and remembers that there
/// were some so that the command can exit with ``ExitStatus/inputError``.
struct InputReporter {
  private(set) var failed = false
  /// When set, messages are kept here instead of written: inputs read on several threads at once
  /// (`nightly`) are reported afterwards, in input order.
  var held: HeldMessages?

  mutating func report(_ error: InputError) {
    failed = true
    emit("diagnose: \(error.description)\n")
  }

  /// Notes are warnings: the input was read, but part of it was not understood.
  func warn(source: String, _ note: ParseNote) {
    emit("diagnose: warning: \(source):\(note.location.line): \(note.message)\n")
  }

  private func emit(_ message: String) {
    if let held { held.lines.append(message) } else { StandardError.write(message) }
  }
}

/// Messages held back by an ``InputReporter``, written later with ``StandardError``.
final class HeldMessages {
  var lines: [String] = []
}

enum StandardError {
  static func write(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      var written = 0
      while written < bytes.count {
        let result = Glibc.write(STDERR_FILENO, bytes.baseAddress! + written, bytes.count - written)
        if result <= 0 { break }
        written += result
      }
    }
  }
}
