import Foundation
import Testing

@testable import LogParse

@Suite("Following a growing log")
struct FileFollowerTests {
  final class Log {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("follow-\(UUID().uuidString).log")
    func write(_ text: String) throws { try Data(text.utf8).write(to: url) }
    func append(_ text: String) throws {
      if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
      let handle = try FileHandle(forWritingTo: url)
      try handle.seekToEnd()
      try handle.write(contentsOf: Data(text.utf8))
      try handle.close()
    }
    deinit { try? FileManager.default.removeItem(at: url) }
  }

  func segments(_ follower: FileFollower, finish: Bool = false) -> (texts: [String], lines: [Int], result: FileFollower.PollResult) {
    var texts: [String] = []
    var lines: [Int] = []
    let collect: (Chunk) -> Void = { chunk in
      chunk.forEachSegment { segment in
        texts.append(String(decoding: segment.bytes, as: UTF8.self))
        lines.append(segment.line)
      }
    }
    let result = follower.poll(collect)
    if finish { follower.finish(collect) }
    return (texts, lines, result)
  }

  @Test("a partial last line is held back until its end arrives")
  func partialLines() throws {
    let log = Log()
    try log.write("one\ntw")
    let follower = FileFollower(path: log.url.path, fromStart: true)
    #expect(segments(follower).texts == ["one"])
    try log.append("o\rbar\nthr")
    let second = segments(follower)
    #expect(second.texts == ["two", "bar"])
    #expect(second.lines == [2, 2])
    #expect(segments(follower).texts.isEmpty)
    try log.append("ee")
    #expect(segments(follower, finish: true).texts == ["three"])
  }

  @Test("starting at the end skips what is there but keeps true line numbers")
  func fromEnd() throws {
    let log = Log()
    try log.write("old 1\nold 2\n")
    let follower = FileFollower(path: log.url.path, fromStart: false)
    #expect(segments(follower).texts.isEmpty)
    try log.append("new\n")
    let found = segments(follower)
    #expect(found.texts == ["new"])
    #expect(found.lines == [3])
  }

  @Test("truncation in place restarts at the top")
  func truncation() throws {
    let log = Log()
    try log.write("a\nb\n")
    let follower = FileFollower(path: log.url.path, fromStart: true)
    #expect(segments(follower).texts == ["a", "b"])
    try log.write("c\n")
    let found = segments(follower)
    #expect(found.result.truncated)
    #expect(found.texts == ["c"])
    #expect(found.lines == [1])
  }

  @Test("rotation: the old file is read to its end, then the new one from its start")
  func rotation() throws {
    let log = Log()
    try log.write("a\n")
    let follower = FileFollower(path: log.url.path, fromStart: true)
    #expect(segments(follower).texts == ["a"])
    try log.append("b\nhalf")
    let rotated = log.url.appendingPathExtension("1")
    defer { try? FileManager.default.removeItem(at: rotated) }
    try FileManager.default.moveItem(at: log.url, to: rotated)
    try log.write("c\n")
    let found = segments(follower)
    #expect(found.result.rotated)
    #expect(found.texts == ["b", "half", "c"])
  }

  @Test("a file cut in place, refilled and rotated between two polls is read from its top")
  func truncatedThenRotated() throws {
    let log = Log()
    try log.write("one\ntwo\nthree\n")
    let follower = FileFollower(path: log.url.path, fromStart: true)
    #expect(segments(follower).texts == ["one", "two", "three"])
    try log.write("four\n")
    let rotated = log.url.appendingPathExtension("1")
    defer { try? FileManager.default.removeItem(at: rotated) }
    try FileManager.default.moveItem(at: log.url, to: rotated)
    try log.write("five\n")
    let found = segments(follower)
    #expect(found.result.rotated)
    #expect(found.result.truncated)
    #expect(found.texts == ["four", "five"])
  }

  @Test("a file that does not exist yet, is deleted, and comes back")
  func missingAndRecreated() throws {
    let log = Log()
    let follower = FileFollower(path: log.url.path, fromStart: false)
    #expect(segments(follower).result.missing)
    try log.write("first\n")
    #expect(segments(follower).texts == ["first"])
    try FileManager.default.removeItem(at: log.url)
    #expect(segments(follower).result.missing)
    try log.write("again\n")
    #expect(segments(follower).texts == ["again"])
  }

  @Test("an endless line is cut at the cap and the next line is read normally")
  func endlessLine() throws {
    let log = Log()
    let follower = FileFollower(path: log.url.path, fromStart: true, maxSegmentLength: 16)
    try log.write(String(repeating: "x", count: 20))
    #expect(segments(follower).texts == [String(repeating: "x", count: 16)])
    try log.append(String(repeating: "y", count: 40) + "\nnext\n")
    #expect(segments(follower).texts == ["next"])
  }
}
