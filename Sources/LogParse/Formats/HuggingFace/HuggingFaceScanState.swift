/// What the HF console formats reading one stretch of an input share: whether a
/// `***** Running training *****` block may still be open, so that the banner format searches
/// for the block's label lines only where they can count.
///
/// The run itself (boundaries, copies from other ranks, settings stated once) is the
/// ``LogSequencer``'s, which sees the whole input in order; this is only a search hint. It starts
/// open because a stretch of a file read on its own (``ParallelScan``) may begin inside a block:
/// searching a few lines too many costs nothing, and the sequencer keeps a label line only while
/// its block is open.
public final class HuggingFaceScanState {
  /// No training or eval record and no other phase banner since the last training banner (or
  /// since the start of the stretch).
  var inTrainingBanner = true

  public init() {}
}
