/// A literal that marks where a format's lines may be in a chunk.
///
/// The scanner finds the anchors of every format in one sweep over each chunk (``AnchorSweep``)
/// and hands each format the places where its own anchors are (``AnchorHit``); the format then
/// checks what a literal cannot say (digits after `step=`, a line start before `+ `) in
/// ``LogFormat/candidates(from:in:into:)``.
public struct Anchor: Sendable, Equatable {
  /// The literal's bytes.
  public let bytes: [UInt8]
  /// Whether ASCII letters match in either case (`overflow` finds `OVERFLOW!` and `Overflow detected`).
  public let caseless: Bool

  public init(_ text: String, caseless: Bool = false) {
    precondition(!text.isEmpty && text.utf8.count < 1 << 15, "an anchor is a short, non-empty literal")
    bytes = Array(text.utf8)
    self.caseless = caseless
  }
}

/// Where one of a format's anchors was found in a chunk.
public struct AnchorHit: Sendable, Equatable {
  /// The index of the anchor in the format's ``LogFormat/anchors``.
  public var anchor: Int
  /// The offset in the chunk where the anchor's first byte is.
  public var offset: Int

  public init(anchor: Int, offset: Int) {
    self.anchor = anchor
    self.offset = offset
  }
}
