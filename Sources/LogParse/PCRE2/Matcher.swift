internal import CPCRE2

/// Matches one ``Pattern`` against raw bytes, reusing one block of match data.
///
/// A matcher is noncopyable: it owns its `pcre2_match_data`, frees it when it goes away, and is
/// meant to be kept for a whole file and reused for every match (creating match data per line
/// costs about 14 % more instructions; `../shared/reference/performance.md` item 8).
///
/// Capture ranges are byte offsets into the subject of the last successful match.
public struct Matcher: ~Copyable {
  public let pattern: Pattern
  private let matchData: OpaquePointer
  private let useJIT: Bool
  /// Number of capture pairs set by the last match (0 when it failed).
  private var pairCount: Int = 0

  init(pattern: Pattern) {
    self.pattern = pattern
    guard let data = pcre2_match_data_create_from_pattern_8(pattern.code, nil) else {
      fatalError("PCRE2 could not allocate match data (out of memory)")
    }
    self.matchData = data
    self.useJIT = pattern.isJITCompiled
  }

  deinit {
    pcre2_match_data_free_8(matchData)
  }

  /// Looks for the pattern in `subject` starting at byte `start`.
  ///
  /// - Returns: the range of the whole match, or `nil` when there is none.
  /// - Throws: ``PCRE2Error`` for a match error other than "no match" (e.g. a match limit).
  public mutating func firstMatch(
    in subject: UnsafeRawBufferPointer, from start: Int = 0
  ) throws(PCRE2Error) -> Range<Int>? {
    guard start <= subject.count else { return nil }
    // An empty buffer may have a nil base address; PCRE2 accepts a zero-length subject only with
    // a non-null pointer.
    let empty: UInt8 = 0
    let rc: Int32 = withUnsafePointer(to: empty) { fallback in
      // SAFETY: the subject pointer is valid for `subject.count` bytes for the duration of the
      // call; PCRE2 reads within those bounds only.
      let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? fallback
      if useJIT {
        return pcre2_jit_match_8(
          pattern.code, base, subject.count, start, 0, matchData, nil)
      }
      return pcre2_match_8(
        pattern.code, base, subject.count, start, 0, matchData, nil)
    }
    if rc == PCRE2_ERROR_NOMATCH {
      pairCount = 0
      return nil
    }
    guard rc > 0 else {
      pairCount = 0
      throw PCRE2Error(operation: .match, code: rc)
    }
    pairCount = Int(rc)
    return range(ofGroup: 0)
  }

  /// Whether the pattern matches anywhere in `subject`; errors count as "no".
  public mutating func matches(_ subject: UnsafeRawBufferPointer) -> Bool {
    (try? firstMatch(in: subject)) != nil
  }

  /// The byte range of capture group `number` in the last match, or `nil` if it did not take part.
  public func range(ofGroup number: Int) -> Range<Int>? {
    guard number < pairCount else { return nil }
    let vector = pcre2_get_ovector_pointer_8(matchData)!
    let lower = vector[2 * number]
    let upper = vector[2 * number + 1]
    if cpcre2_is_unset(lower) || cpcre2_is_unset(upper) { return nil }
    return Int(lower)..<Int(upper)
  }

  /// The byte range of the capture group called `name` in the last match.
  public func range(ofGroup name: String) -> Range<Int>? {
    guard let number = pattern.groupNames[name] else { return nil }
    return range(ofGroup: number)
  }
}
