import Testing

@testable import LogParse

@Suite("PCRE2 patterns")
struct PatternTests {
  @Test("patterns are JIT-compiled on this platform")
  func jitIsOn() throws {
    let pattern = try Pattern(#"'loss': ([-0-9.e]+)"#)
    #expect(pattern.isJITCompiled)
    #expect(pattern.captureCount == 1)
  }

  @Test("a bad pattern reports PCRE2's message and the offset where it failed")
  func compileErrorCarriesMessageAndOffset() {
    do {
      _ = try Pattern("abc(def")
      Issue.record("compiling an unbalanced pattern should fail")
    } catch {
      #expect(error.operation == .compile)
      #expect(error.patternOffset == 7)
      #expect(error.message.contains("missing closing parenthesis"))
      #expect(error.description.contains("offset 7"))
    }
  }

  @Test("captures are found by number and by name, as byte ranges")
  func capturesByNumberAndName() throws {
    let pattern = try Pattern(#"step=(?<step>\d+), skipped=(\d+)"#)
    var matcher = pattern.makeMatcher()
    let text = Array("[Rank 0] step=10, skipped=4, lr=[0.1]".utf8)
    let whole = try text.withUnsafeBytes { try matcher.firstMatch(in: $0) }
    #expect(whole == 9..<27)
    #expect(matcher.range(ofGroup: "step") == 14..<16)
    #expect(matcher.range(ofGroup: 2) == 26..<27)
    #expect(matcher.range(ofGroup: 3) == nil)
    #expect(matcher.range(ofGroup: "missing") == nil)
  }

  @Test("subjects with NUL bytes and invalid UTF-8 match without crashing")
  func binarySubjects() throws {
    let pattern = try Pattern(#"'loss': ([0-9.]+)"#)
    var matcher = pattern.makeMatcher()
    var bytes: [UInt8] = [0x00, 0xFF, 0xFE, 0xC3, 0x28, 0x00]
    bytes += Array("{'loss': 1.5}".utf8)
    bytes += [0x00, 0xED, 0xA0, 0x80]
    let found = try bytes.withUnsafeBytes { try matcher.firstMatch(in: $0) }
    #expect(found != nil)
    #expect(matcher.range(ofGroup: 1) == 15..<18)
    let junk: [UInt8] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let none = try junk.withUnsafeBytes { try matcher.firstMatch(in: $0) }
    #expect(none == nil)
  }

  @Test("an empty subject and a start past the end give no match")
  func emptySubject() throws {
    var matcher = try Pattern("x*").makeMatcher()
    let empty = try [UInt8]().withUnsafeBytes { try matcher.firstMatch(in: $0) }
    #expect(empty == 0..<0)
    let past = try Array("abc".utf8).withUnsafeBytes { try matcher.firstMatch(in: $0, from: 4) }
    #expect(past == nil)
  }

  @Test("one pattern is shared by several concurrent tasks, each with its own matcher")
  func concurrentUse() async throws {
    let pattern = try Pattern(#"'loss': ([0-9.]+)"#)
    let counts = await withTaskGroup(of: Int.self) { group in
      for task in 0..<8 {
        group.addTask {
          var matcher = pattern.makeMatcher()
          var found = 0
          for index in 0..<2_000 {
            let text = Array("{'loss': \(task).\(index)}".utf8)
            if let _ = try? text.withUnsafeBytes({ try matcher.firstMatch(in: $0) }),
              let range = matcher.range(ofGroup: 1), range.count == "\(task).\(index)".utf8.count
            {
              found += 1
            }
          }
          return found
        }
      }
      return await group.reduce(into: [Int]()) { $0.append($1) }
    }
    #expect(counts == Array(repeating: 2_000, count: 8))
  }
}
