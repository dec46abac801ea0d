/// An fp16 loss-scale event: a step skipped on overflow, hysteresis used up, or the fatal minimum.
public struct OverflowEvent: Sendable {
  public enum Kind: String, Sendable, Codable {
    /// The step was skipped and the scale reduced (`Attempted loss scale: A, reducing to B`).
    case reduced
    /// The step was skipped; hysteresis absorbed it (`but hysteresis is 2. Reducing hysteresis to 1`).
    case hysteresis
    /// A skip without scale values (`Grad overflow on iteration N`, `Overflow detected. Skipping step.`).
    case skipped
    /// `Current loss scale already at minimum - cannot decrease scale anymore. Exiting run.`
    case minimumReached = "minimum-reached"
  }

  public var location: SourceLocation
  public var kind: Kind
  /// The step or iteration, when the line says.
  public var step: Int?
  public var attemptedScale: Double?
  public var newScale: Double?
  public var rank: Int?

  public init(
    location: SourceLocation, kind: Kind, step: Int? = nil, attemptedScale: Double? = nil, newScale: Double? = nil,
    rank: Int? = nil
  ) {
    self.location = location
    self.kind = kind
    self.step = step
    self.attemptedScale = attemptedScale
    self.newScale = newScale
    self.rank = rank
  }
}
