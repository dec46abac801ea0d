/// A configuration error a log reports together with the values involved.
public struct ConfigurationError: Sendable {
  public enum Kind: Sendable, Equatable {
    /// DeepSpeed's `train_batch_size is not equal to micro_batch_per_gpu * gradient_acc_step *
    /// world_size A != B * C * D` (log-formats.md §2.6); `world_size` is the data-parallel size.
    case batchAssertion(trainBatchSize: Int, microBatchPerGPU: Int, gradientAccumulationSteps: Int, worldSize: Int)
    /// One `- ds KEY=VALUE vs hf KEY=VALUE` line of HF's "Please correct the following DeepSpeed config
    /// values that mismatch TrainingArguments values" (log-formats.md §2.8); values as printed.
    case deepSpeedMismatch(
      deepSpeedKey: String, deepSpeedValue: String, huggingFaceKey: String, huggingFaceValue: String)
  }

  public var location: SourceLocation
  public var kind: Kind
  public var rank: Int?
  /// The message, joined when it was wrapped over several lines.
  public var text: String

  public init(location: SourceLocation, kind: Kind, rank: Int? = nil, text: String) {
    self.location = location
    self.kind = kind
    self.rank = rank
    self.text = text
  }
}
