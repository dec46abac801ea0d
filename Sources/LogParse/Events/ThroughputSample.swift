/// DeepSpeed's throughput timer line (log-formats.md §2.3), in any of its three generations.
///
/// - v0.8+: `epoch=0/micro_step=40/global_step=10, RunningAvgSamplesPerSec=25.0, CurrSamplesPerSec=25.7,
///   MemAllocated=4.32GB, MaxMemAllocated=38.49GB`;
/// - v0.7: `0/20, RunningAvgSamplesPerSec=…, CurrSamplesPerSec=…, MemAllocated=…GB, MaxMemAllocated=…GB`;
/// - ≤ v0.5: `0/1200, SamplesPerSec=463.86`.
///
/// In the two older forms the pair is epoch / micro-step and no global step is printed.
public struct ThroughputSample: Sendable {
  public var location: SourceLocation
  public var epoch: Int?
  public var microStep: Int?
  public var globalStep: Int?
  /// `RunningAvgSamplesPerSec` (or ≤ v0.5's `SamplesPerSec`); `-inf` before the first global step.
  public var samplesPerSecond: Double?
  /// `CurrSamplesPerSec`.
  public var currentSamplesPerSecond: Double?
  public var memoryAllocatedGB: Double?
  public var maxMemoryAllocatedGB: Double?
  public var rank: Int?

  public init(location: SourceLocation) {
    self.location = location
  }

  /// Gradient-accumulation steps: micro-steps per optimizer step (`micro_step ÷ global_step`), when
  /// both are printed, positive, and divide evenly.
  public var gradientAccumulationSteps: Int? {
    guard let microStep, let globalStep, globalStep > 0, microStep % globalStep == 0 else { return nil }
    return microStep / globalStep
  }
}
