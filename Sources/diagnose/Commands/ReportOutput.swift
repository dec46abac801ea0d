import ArgumentParser
import Foundation

/// Where a rendered document goes: a file named by `--output`, or standard output.
enum ReportOutput {
  /// Writes `text`; a file that cannot be written is an input/output error (status 2), said once.
  static func write(_ text: String, to path: String?) throws {
    guard let path, path != "-" else {
      var output = OutputBuffer()
      output.append(text)
      output.flush()
      return
    }
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      StandardError.write("diagnose: \(path): cannot write: \(error.localizedDescription)\n")
      throw ExitCode(ExitStatus.inputError)
    }
  }
}
