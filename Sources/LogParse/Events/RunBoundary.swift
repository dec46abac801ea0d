/// Where a run starts, restarts or resumes within one input.
public struct RunBoundary: Sendable {
  public enum Kind: String, Sendable, Codable {
    /// A training run starts (`***** Running training *****`, DeepSpeed's version banner…).
    case start
    /// A run resumes from a checkpoint: the step counter continues.
    case resume
  }

  /// What in the input marked the boundary.
  public enum Reason: String, Sendable, Codable {
    /// A `***** Running training *****` banner (or another library's start banner).
    case banner
    /// A `TrainingArguments(` dump after the run had logged steps: a new process.
    case arguments
    /// The logged step number went back.
    case stepWentBack = "step-went-back"
    /// The epoch of HF dicts (which carry no step) fell back.
    case epochWentBack = "epoch-went-back"
    /// A resume line (`Continuing training from global step N`).
    case resumeLine = "resume-line"
    /// Not said.
    case unspecified
  }

  public var location: SourceLocation
  public var kind: Kind
  /// The step the run resumes from, when stated.
  public var fromStep: Int?
  public var reason: Reason

  public init(location: SourceLocation, kind: Kind, fromStep: Int? = nil, reason: Reason = .unspecified) {
    self.location = location
    self.kind = kind
    self.fromStep = fromStep
    self.reason = reason
  }
}
