/// What the HF console formats reading one stretch of an input share: whether a
/// `***** Running training *****` block is open, so that the banner format searches for the
/// block's label lines only where they can count.
///
/// The run itself (boundaries, copies from other ranks, settings stated once) is the
/// ``LogSequencer``'s, which sees the whole input in order; this is only a search hint, and an
/// exact one: set by a training banner, cleared by the next record (the first record after a
/// banner is never a copy) or another phase's banner, as the sequencer's own flag. A stretch of a
/// file read on its own starts closed; ``ParallelScan`` parses a range again when the ranges
/// before it left a block open.
public final class HuggingFaceScanState {
  /// A training banner was read and no training or eval record nor another phase banner since.
  var inTrainingBanner = false

  public init() {}
}
