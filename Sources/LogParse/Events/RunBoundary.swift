/// Where a run starts, restarts or resumes within one input.
public struct RunBoundary: Sendable {
  public enum Kind: String, Sendable, Codable {
    /// A training run starts (`***** Running training *****`, DeepSpeed's version banner…).
    case start
    /// A run resumes from a checkpoint: the step counter continues.
    case resume
  }

  public var location: SourceLocation
  public var kind: Kind
  /// The step the run resumes from, when stated.
  public var fromStep: Int?

  public init(location: SourceLocation, kind: Kind, fromStep: Int? = nil) {
    self.location = location
    self.kind = kind
    self.fromStep = fromStep
  }
}
