/// Every detector, in the order they run (the order their hindsight passes run too: loss spikes
/// get their recovery before grad-norm spikes look for their loss partner).
public enum DetectorRegistry {
  public static let all: [any Detector.Type] = [
    NaNDetector.self,
    LossSpikeDetector.self,
    GradNormSpikeDetector.self,
    DivergenceDetector.self,
    LossScaleCollapseDetector.self,
    OverflowStormDetector.self,
    ClipSaturationDetector.self,
    MilestoneDetector.self,
  ]
}
