import Foundation

/// Runs the built `diagnose` binary, as a user would.
struct DiagnoseProcess {
  struct Result {
    let status: Int32
    let stdout: String
    let stderr: String
    var lines: [Substring] { stdout.split(separator: "\n", omittingEmptySubsequences: true) }
  }

  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The binary next to the test bundle (`swift test` builds it), else the debug build.
  static let binary: URL = {
    let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("diagnose")
    if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
    return packageRoot.appendingPathComponent(".build/debug/diagnose")
  }()

  static func run(_ arguments: [String], stdin: Data? = nil) throws -> Result {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    let output = Pipe()
    // Standard error goes to a file, so that neither pipe can fill up while the other is read.
    let errorURL = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: errorURL.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorURL) }
    let errorHandle = try FileHandle(forWritingTo: errorURL)
    process.standardOutput = output
    process.standardError = errorHandle
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try errorHandle.close()
    let errData = try Data(contentsOf: errorURL)
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  static func temporaryFile(_ bytes: [UInt8], suffix: String = ".log") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("diagnose-\(UUID().uuidString)\(suffix)")
    try Data(bytes).write(to: url)
    return url
  }
}

/// The shared corpus beside the clone, when present.
enum SharedCorpus {
  static let publicDirectory: URL? = {
    let environment = ProcessInfo.processInfo.environment["DIAGNOSE_SHARED"].map { URL(fileURLWithPath: $0) }
    let beside = DiagnoseProcess.packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    for candidate in [environment, beside].compactMap({ $0 }) {
      let directory = candidate.appendingPathComponent("corpus/public")
      if FileManager.default.fileExists(atPath: directory.path) { return directory }
    }
    return nil
  }()

  static var isAvailable: Bool { publicDirectory != nil }

  static func file(_ prefix: String) -> URL? {
    guard let directory = publicDirectory,
      let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
    else { return nil }
    return names.sorted().first { $0.hasPrefix(prefix) && $0.hasSuffix(".log") }.map { directory.appendingPathComponent($0) }
  }
}
