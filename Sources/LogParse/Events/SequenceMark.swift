/// What a format tells the ``LogSequencer`` about the events around it: a line that changes the
/// run's state (a banner, a resume line), or how to treat the event that follows (who printed a
/// record, which part of a multi-line overflow report a line is, a setting to state once).
///
/// Formats read each line on its own, so that any range of a file can be read on any core; what
/// depends on the lines before (copies printed by other ranks, run boundaries, one overflow
/// reported over three lines, settings stated once) is decided by the sequencer, which sees every
/// event in input order. Marks never leave LogParse: the scanners hand events through a sequencer,
/// which consumes them.
public struct SequenceMark: Sendable {
  public enum Kind: Sendable {
    /// HF's `***** Running training *****`.
    case trainingBanner
    /// Another HF phase banner (`***** Running Evaluation *****`): the training block has ended.
    case otherBanner
    /// The first line of a `TrainingArguments(` dump.
    case argumentsDump
    /// An HF resume line (`Continuing training from global step N`).
    case resume(fromStep: Int?)
    /// The rank or node that printed the HF record that follows, when its ``TrainingStep/rank``
    /// does not say (a host prefix, or an eval dict).
    case printer(Int)
    /// The part of a DeepSpeed overflow report the ``OverflowEvent`` that follows is.
    case overflowLine(OverflowLine)
    /// The setting that follows counts only the first time this key comes in the input.
    case once(String)
  }

  /// A DeepSpeed overflow line's part in a report (the fused optimizer spreads one overflow over
  /// up to three lines).
  public enum OverflowLine: Sendable {
    /// A report on its own line.
    case complete
    /// `Grad overflow on iteration N`: a report begins.
    case fusedStart
    /// `Reducing dynamic loss scale from A to B`: the scales of the open report, or a new one.
    case fusedReduce
    /// `Overflow detected. … reducing to B`: closes the open report when its scales agree.
    case fusedClose
  }

  public var location: SourceLocation
  public var kind: Kind

  public init(location: SourceLocation, kind: Kind) {
    self.location = location
    self.kind = kind
  }
}
