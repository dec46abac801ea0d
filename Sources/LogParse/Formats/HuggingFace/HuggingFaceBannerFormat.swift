/// HF Trainer's `***** Running training *****` block and resume lines (log-formats.md §1.4).
///
/// Each line of the block is read on its own, wherever it sits after a logger prefix
/// (`[INFO|trainer.py:N] … >> `, `[transformers] `, `MM/DD/YYYY HH:MM:SS - INFO - … - `, rank
/// prefixes), because multi-node jobs interleave the blocks of several nodes line by line
/// (`corpus/public/05`). Numbers may carry thousands separators (`5,490`). The block's values
/// become settings named by HF's argument names; the banner and resume lines become
/// ``RunBoundary`` events. Every line is emitted as read; the ``LogSequencer`` drops copies from
/// other nodes and label lines outside a training block (``HuggingFaceRunState``).
public final class HuggingFaceBannerFormat: LogFormat {
  public let name = "hf-banner"
  public var readsFromAnyLine: Bool { true }
  private var reader: Matcher
  private let state: HuggingFaceScanState

  /// The block's labels, in the order of the alternation in ``linePattern`` (groups 2…).
  private static let labels: [(setting: String, trainingOnly: Bool)] = [
    ("num_examples", true), ("num_train_epochs", false), ("num_update_steps_per_epoch", false),
    ("per_device_train_batch_size", false), ("total_batch_size", false), ("gradient_accumulation_steps", false),
    ("max_steps", false), ("trainable_parameters", false), ("train_batch_size", false),
  ]

  private static let linePattern = #"""
    \*\*\*\*\* Running (training|\w+)|\
      Num examples = ([0-9][0-9,]*)|\
      Num Epochs = ([0-9][0-9,]*(?:\.[0-9]+)?)|\
      Num update steps per epoch = ([0-9][0-9,]*)|\
      Instantaneous batch size per device = ([0-9][0-9,]*)|\
      Total train batch size \(w\. parallel, distributed & accumulation\) = ([0-9][0-9,]*)|\
      Gradient Accumulation steps = ([0-9][0-9,]*)|\
      Total optimization steps = ([0-9][0-9,]*)|\
      Number of trainable parameters = ([0-9][0-9,]*)|\
      Training with DataParallel so batch size has been adjusted to: ([0-9][0-9,]*)|\
      Continuing training from global step ([0-9][0-9,]*)|\
      Resuming training from checkpoint with epoch [0-9]+ and global step ([0-9][0-9,]*)
    """#

  public init(state: HuggingFaceScanState = HuggingFaceScanState()) {
    self.state = state
    let pattern = Self.linePattern.split(separator: "\n").map {
      $0.hasSuffix("\\") ? String($0.dropLast()) : String($0)
    }
    .joined()
    reader = try! Pattern(pattern).makeMatcher()
  }

  /// `***** Running ` (then `training *****` or a capital).
  public var anchors: [Anchor] { [Anchor(Self.bannerLiteral)] }

  private static let bannerLiteral = "***** Running "
  private static let labelLiterals = [
    "Num examples = ", "Num Epochs = ", "Num update steps per epoch = ", "Instantaneous batch size per device = ",
    "Total train batch size (", "Gradient Accumulation steps = ", "Total optimization steps = ",
    "Number of trainable parameters = ", "Training with DataParallel", "Continuing training from global",
    "Resuming training from checkpoint",
  ]
  /// The labels have their own sweep, run only where a banner may be open: in the scanner's sweep
  /// their common words (`Num`, `steps`, `training`) let through several times more ordinary
  /// text than all other anchors together.
  private let labelSweep = AnchorSweep(anchors: labelLiterals.map { Anchor($0) })
  private var labelHits: [UInt64] = []

  /// Banner lines only follow a `***** Running training *****` line, so labels are searched only
  /// from the first training banner in the chunk, or from the chunk's start while a banner seen
  /// before is still open (no record logged since).
  public func candidates(from hits: [AnchorHit], in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    var bannerEnd = 0
    var firstTrainingBanner: Int?
    for hit in hits where hit.offset >= bannerEnd {
      let after = hit.offset + Self.bannerLiteral.utf8.count
      if ByteText.hasPrefix(bytes, "training *****", at: after) {
        if firstTrainingBanner == nil { firstTrainingBanner = hit.offset }
        bannerEnd = after + 14
      } else if after < bytes.count, (0x41...0x5A).contains(bytes[after]) {
        bannerEnd = after + 1
      } else {
        continue
      }
      offsets.append(hit.offset)
    }
    guard let from = state.inTrainingBanner ? 0 : firstTrainingBanner else { return }
    labelHits.removeAll(keepingCapacity: true)
    labelSweep.find(in: UnsafeRawBufferPointer(rebasing: bytes[from...]), into: &labelHits)
    var labelEnd = 0
    for key in labelHits {
      let offset = Int(key >> 16)
      guard offset >= labelEnd else { continue }
      offsets.append(from + offset)
      labelEnd = offset + Self.labelLiterals[Int(key & 0xFFFF)].utf8.count
    }
  }

  /// Whether the input before the lines to come left a training block open (``ParallelScan``
  /// knows it from the ranges before).
  func setInsideTrainingBlock(_ open: Bool) {
    state.inTrainingBanner = open
  }

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    guard let match = try? reader.firstMatch(in: bytes) else { return .done }
    if let phase = reader.range(ofGroup: 1) {
      if Key.equals(UnsafeRawBufferPointer(rebasing: bytes[phase]), "training") {
        state.inTrainingBanner = true
        events.append(.mark(SequenceMark(location: segment.location, kind: .trainingBanner)))
      } else {
        // `***** Running Evaluation *****`: its `Num examples` is the eval set's.
        state.inTrainingBanner = false
        events.append(.mark(SequenceMark(location: segment.location, kind: .otherBanner)))
      }
      return .done
    }
    for group in [11, 12] {
      if let range = reader.range(ofGroup: group) {
        let step = NumberParser.parseInt(UnsafeRawBufferPointer(rebasing: bytes[range]))
        events.append(.mark(SequenceMark(location: segment.location, kind: .resume(fromStep: step))))
        return .done
      }
    }
    for (index, label) in Self.labels.enumerated() {
      guard let range = reader.range(ofGroup: index + 2) else { continue }
      let text = UnsafeRawBufferPointer(rebasing: bytes[range])
      let value: SettingValue
      if let int = NumberParser.parseInt(text) {
        value = .int(int)
      } else if let double = NumberParser.parseDouble(text) {
        value = .double(double)
      } else {
        return .done
      }
      let quoted = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[match.lowerBound...]), as: UTF8.self)
      let setting = SettingEvent(
        location: segment.location, name: label.setting, value: value, source: .hfBanner,
        text: quoted.trimmingSpaces())
      events.append(.setting(setting))
      return .done
    }
    return .done
  }
}

extension String {
  /// Without leading and trailing spaces, tabs and carriage returns.
  func trimmingSpaces() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
    guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
      return ""
    }
    return String(self[first...last])
  }
}
