import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

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

  /// Hands `render` a buffer bound for the file at `path`, or for standard output.
  static func withBuffer(to path: String?, _ render: (inout OutputBuffer) -> Void) throws {
    guard let path, path != "-" else {
      var output = OutputBuffer()
      render(&output)
      output.flush()
      return
    }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      StandardError.write("diagnose: \(path): cannot write: \(String(cString: strerror(errno)))\n")
      throw ExitCode(ExitStatus.inputError)
    }
    defer { close(descriptor) }
    var output = OutputBuffer(fileDescriptor: descriptor)
    render(&output)
    output.flush()
  }
}
