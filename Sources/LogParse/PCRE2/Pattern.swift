internal import CPCRE2

/// A compiled PCRE2 pattern, JIT-compiled when the platform allows it.
///
/// A `Pattern` is immutable once built and may be shared by any number of threads; each thread
/// matches through its own ``Matcher``, which owns the per-match scratch memory.
///
/// ```swift
/// let pattern = try Pattern(#"'loss': ([-+0-9.e]+)"#)
/// var matcher = pattern.makeMatcher()
/// ```
public final class Pattern: @unchecked Sendable {
  // SAFETY: `code` is written once in `init` (compile, then JIT-compile) and never mutated
  // afterwards; PCRE2 documents a compiled pattern as safe to use from several threads at once
  // as long as each thread uses its own match data, which `Matcher` guarantees.
  let code: OpaquePointer
  /// Whether the JIT compiler accepted the pattern; if not, matching uses the interpreter.
  public let isJITCompiled: Bool
  /// The pattern's source text.
  public let source: String
  /// Capture group names and their numbers.
  public let groupNames: [String: Int]
  /// How many capture groups the pattern has.
  public let captureCount: Int

  /// Pattern options, a subset of PCRE2's compile options.
  public struct Options: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let caseless = Options(rawValue: UInt32(PCRE2_CASELESS))
    /// `^` and `$` match at every line start and end (lines end at `\r`, `\n` or `\r\n`).
    public static let multiline = Options(rawValue: UInt32(PCRE2_MULTILINE))
    public static let dotAll = Options(rawValue: UInt32(PCRE2_DOTALL))
  }

  /// Compiles `source`.
  ///
  /// - Throws: ``PCRE2Error`` with PCRE2's message and the offset in `source` where it failed.
  public init(_ source: String, options: Options = []) throws(PCRE2Error) {
    self.source = source
    var errorCode: Int32 = 0
    var errorOffset: Int = 0
    let context = pcre2_compile_context_create_8(nil)
    defer { pcre2_compile_context_free_8(context) }
    // Logs end lines with \n, \r\n and tqdm's bare \r: all of them end a line for ^ and $.
    pcre2_set_newline_8(context, UInt32(PCRE2_NEWLINE_ANYCRLF))
    let compiled: OpaquePointer? = source.withCString { pointer in
      pointer.withMemoryRebound(to: UInt8.self, capacity: source.utf8.count) { bytes in
        pcre2_compile_8(
          bytes, source.utf8.count, options.rawValue, &errorCode, &errorOffset, context)
      }
    }
    guard let compiled else {
      throw PCRE2Error(operation: .compile, code: errorCode, patternOffset: Int(errorOffset))
    }
    code = compiled
    // JIT is opportunistic: a platform without it (or a pattern it rejects) still matches.
    isJITCompiled = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
    captureCount = Pattern.info(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT))
    groupNames = Pattern.readGroupNames(compiled)
  }

  deinit {
    pcre2_code_free_8(code)
  }

  /// A matcher that owns scratch memory for this pattern; make one per thread and reuse it.
  public func makeMatcher() -> Matcher {
    Matcher(pattern: self)
  }

  private static func info(_ code: OpaquePointer, _ what: UInt32) -> Int {
    var value: UInt32 = 0
    pcre2_pattern_info_8(code, what, &value)
    return Int(value)
  }

  private static func readGroupNames(_ code: OpaquePointer) -> [String: Int] {
    let count = info(code, UInt32(PCRE2_INFO_NAMECOUNT))
    guard count > 0 else { return [:] }
    let entrySize = info(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE))
    var table: UnsafePointer<UInt8>?
    pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
    guard let table else { return [:] }
    var names: [String: Int] = [:]
    for index in 0..<count {
      // SAFETY: PCRE2 documents the name table as `count` entries of `entrySize` bytes: a
      // big-endian 16-bit group number followed by the NUL-terminated name.
      let entry = table + index * entrySize
      let number = Int(entry[0]) << 8 | Int(entry[1])
      let name = String(cString: entry + 2)
      names[name] = number
    }
    return names
  }
}
