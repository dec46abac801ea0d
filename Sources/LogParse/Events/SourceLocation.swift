/// Where an event was read: the physical line (1-based, counting `\n`) and the byte offset.
public struct SourceLocation: Sendable, Hashable, Comparable {
  public var line: Int
  public var offset: Int64

  public init(line: Int, offset: Int64) {
    self.line = line
    self.offset = offset
  }

  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool { lhs.offset < rhs.offset }
}
