import Foundation

/// HuggingFace Trainer console lines for the watch tests (log-formats.md's `{'loss': …}` dict), and
/// a log file that a writer grows, truncates, rotates and re-creates while keeping what it wrote.
enum WatchFixture {
  /// A healthy noisy descent; `spikeAt` multiplies one step's loss by 10 (critical at once,
  /// Megatron's SPIKY_LOSS_FACTOR); `divergeAfter` makes the loss grow 8 % a step from there on.
  static func line(step: Int, spikeAt: Int? = nil, divergeAfter: Int? = nil) -> String {
    var loss = 2.0 + 2.0 * exp(-Double(step) / 50) + 0.03 * sin(Double(step) * 1.7)
    if step == spikeAt { loss *= 10 }
    if let divergeAfter, step > divergeAfter { loss *= exp(0.08 * Double(step - divergeAfter)) }
    let gradNorm = 0.8 + 0.05 * cos(Double(step) * 2.3)
    return String(
      format: "{'loss': %.4f, 'grad_norm': %.4f, 'learning_rate': 1e-04, 'epoch': %.3f}\n", loss, gradNorm,
      Double(step) / 1000)
  }

  static func lines(_ steps: ClosedRange<Int>, spikeAt: Int? = nil, divergeAfter: Int? = nil) -> String {
    steps.map { line(step: $0, spikeAt: spikeAt, divergeAfter: divergeAfter) }.joined()
  }

  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A log a job writes: every byte appended is also kept in `written`, the concatenated content
  /// that a post-mortem `report` reads.
  final class Writer {
    let url: URL
    private(set) var written = ""

    init(url: URL) { self.url = url }

    func append(_ text: String) throws {
      if !FileManager.default.fileExists(atPath: url.path) {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
      }
      let handle = try FileHandle(forWritingTo: url)
      try handle.seekToEnd()
      try handle.write(contentsOf: Data(text.utf8))
      try handle.close()
      written += text
    }

    /// copytruncate: the content so far is copied away and the file cut to zero in place.
    func truncate() throws {
      try FileManager.default.copyItem(at: url, to: url.appendingPathExtension("copy"))
      let handle = try FileHandle(forWritingTo: url)
      try handle.truncate(atOffset: 0)
      try handle.close()
    }

    /// logrotate's default: rename, and the job writes a new file under the old name.
    func rotate(suffix: String) throws {
      try FileManager.default.moveItem(at: url, to: URL(fileURLWithPath: url.path + suffix))
    }

    func delete() throws { try FileManager.default.removeItem(at: url) }

    /// The concatenated content, as a file for `report`.
    func concatenated() throws -> URL {
      let copy = FileManager.default.temporaryDirectory.appendingPathComponent("concatenated-\(UUID().uuidString).log")
      try Data(written.utf8).write(to: copy)
      return copy
    }
  }
}

/// What a job does to its log while `watch` follows it: bursts of lines, a line written in two
/// halves, copytruncate, rotation, deletion and re-creation, then a loss spike at step 60.
enum WatchScenario {
  static let spikeStep = 60
  static let lastStep = 70
  /// Longer than the tests' 100 ms poll, so the watcher sees each state in between.
  static let pause = 0.3

  /// Runs the scenario; `waitUntilSeen(step)` returns once the watcher has read that step (only
  /// copytruncate needs it: what was not read before the cut is gone, for any follower).
  /// Returns the time (seconds since the epoch) the spike's line was written.
  static func write(_ log: WatchFixture.Writer, waitUntilSeen: (Int) -> Void) throws -> Double {
    for burst in stride(from: 1, through: 16, by: 5) {
      try log.append(WatchFixture.lines(burst...(burst + 4)))
      Thread.sleep(forTimeInterval: 0.03)
    }
    let half = WatchFixture.line(step: 21)
    let cut = half.index(half.startIndex, offsetBy: half.count / 2)
    try log.append(String(half[..<cut]))
    Thread.sleep(forTimeInterval: pause)
    try log.append(String(half[cut...]) + WatchFixture.line(step: 22))
    waitUntilSeen(22)
    try log.truncate()
    try log.append(WatchFixture.lines(23...32))
    try log.rotate(suffix: ".1")
    try log.append(WatchFixture.lines(33...40))
    waitUntilSeen(40)
    try log.delete()
    Thread.sleep(forTimeInterval: pause)
    try log.append(WatchFixture.lines(41...(spikeStep - 1), spikeAt: spikeStep))
    Thread.sleep(forTimeInterval: pause)
    let written = Date().timeIntervalSince1970
    try log.append(WatchFixture.line(step: spikeStep, spikeAt: spikeStep))
    Thread.sleep(forTimeInterval: pause)
    try log.append(WatchFixture.lines((spikeStep + 1)...lastStep, spikeAt: spikeStep))
    return written
  }
}

/// A value shared between a writer task and the test, behind a lock.
final class Shared<Value>: @unchecked Sendable {
  // SAFETY: every access to `value` holds `lock`.
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) { self.value = value }

  func read<T>(_ body: (Value) -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body(value)
  }

  func update(_ body: (inout Value) -> Void) {
    lock.lock()
    defer { lock.unlock() }
    body(&value)
  }
}
