/// The DeepSpeed launcher's and engine's topology lines (log-formats.md §5), as settings with
/// source ``SettingSource/launcher``:
///
/// - `WORLD INFO DICT: {'localhost': [0, 1, 2, 3]}` and runner's `--world_info=<base64 JSON>`:
///   `nodes` (hosts), `gpus_per_node` (when every host has the same count), `world_size` (all slots);
/// - `nnodes=1, num_local_procs=4, node_rank=0`: `nodes`, `gpus_per_node`;
/// - `dist_world_size=4` and `Config mesh_device None world_size = 4`: `world_size`.
///
/// Every rank prints some of these; a value already stated by the same kind of line is not
/// repeated (the ``LogSequencer`` drops it, told by a ``SequenceMark/Kind/once(_:)`` mark).
public final class LauncherFormat: LogFormat {
  public let name = "launcher"
  public var readsFromAnyLine: Bool { true }
  private var localProcs: Matcher
  private var worldSize: Matcher

  public init() {
    localProcs = try! Pattern(#"nnodes=(\d+), num_local_procs=(\d+)"#).makeMatcher()
    worldSize = try! Pattern(#"(?:dist_world_size=|mesh_device \S+ world_size = )(\d+)"#).makeMatcher()
  }

  public var anchors: [Anchor] {
    [
      Anchor("WORLD INFO DICT: {"), Anchor("num_local_procs="), Anchor("dist_world_size="), Anchor("--world_info="),
      Anchor("world_size = "),
    ]
  }

  /// Candidates sit at the dict's `{` or the value's `=`; `world_size = ` needs a digit after it.
  public func candidates(from hits: [AnchorHit], in bytes: UnsafeRawBufferPointer, into offsets: inout [Int]) {
    for hit in hits {
      switch hit.anchor {
      case 0: offsets.append(hit.offset + 17)
      case 1, 2: offsets.append(hit.offset + 15)
      case 3: offsets.append(hit.offset + 12)
      default:
        if hit.offset + 13 < bytes.count, bytes[hit.offset + 13] &- 0x30 < 10 { offsets.append(hit.offset + 11) }
      }
    }
  }

  public func parse(_ segment: Segment, into events: inout [LogEvent]) -> Continuation {
    let bytes = segment.bytes
    if let at = ByteText.find("WORLD INFO DICT: ", in: bytes, from: 0) {
      let hosts = Self.hostSlots(ByteText.slice(bytes, (at + 17)..<bytes.count))
      emitTopology(hosts, segment, kind: "world-info", &events)
    } else if let at = ByteText.find("--world_info=", in: bytes, from: 0) {
      var end = at + 13
      while end < bytes.count, bytes[end] != 0x20 { end += 1 }
      if let decoded = Base64.decode(ByteText.slice(bytes, (at + 13)..<end)),
        let value = decoded.withUnsafeBytes({ try? JSONReader.read($0) }), case .object(let members) = value
      {
        let hosts = members.map { member -> Int in
          if case .array(let slots) = member.value { return slots.count }
          return 0
        }
        emitTopology(hosts, segment, kind: "world-info", &events)
      }
    } else if (try? localProcs.firstMatch(in: bytes)) != nil {
      if let nodes = ByteText.int(bytes, localProcs.range(ofGroup: 1)) {
        emit("nodes", nodes, segment, "launch", &events)
      }
      if let procs = ByteText.int(bytes, localProcs.range(ofGroup: 2)) {
        emit("gpus_per_node", procs, segment, "launch", &events)
      }
    } else if (try? worldSize.firstMatch(in: bytes)) != nil, let size = ByteText.int(bytes, worldSize.range(ofGroup: 1))
    {
      emit("world_size", size, segment, "world", &events)
    }
    return .done
  }

  private func emitTopology(_ hosts: [Int], _ segment: Segment, kind: String, _ events: inout [LogEvent]) {
    guard !hosts.isEmpty else { return }
    emit("nodes", hosts.count, segment, kind, &events)
    if let first = hosts.first, hosts.allSatisfy({ $0 == first }) {
      emit("gpus_per_node", first, segment, kind, &events)
    }
    emit("world_size", hosts.reduce(0, +), segment, kind, &events)
  }

  private func emit(_ name: String, _ value: Int, _ segment: Segment, _ kind: String, _ events: inout [LogEvent]) {
    events.append(.mark(SequenceMark(location: segment.location, kind: .once("\(self.name) \(kind) \(name)=\(value)"))))
    let bytes = segment.bytes
    let content = LoggerPrefix.messageStart(bytes, from: LinePrefix.parse(bytes).contentStart).start
    events.append(
      .setting(
        SettingEvent(
          location: segment.location, name: name, value: .int(value), source: .launcher,
          text: ByteText.string(bytes, content..<min(bytes.count, content + 160)))))
  }

  /// The number of slots per host in a Python dict repr `{'host': [0, 1], 'other': [0, 1]}`.
  static func hostSlots(_ bytes: UnsafeRawBufferPointer) -> [Int] {
    var hosts: [Int] = []
    var inList = false
    var count = 0
    var sawDigit = false
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "["):
        inList = true
        count = 0
        sawDigit = false
      case UInt8(ascii: "]") where inList:
        if sawDigit { count += 1 }
        hosts.append(count)
        inList = false
      case UInt8(ascii: ",") where inList:
        if sawDigit { count += 1 }
        sawDigit = false
      case UInt8(ascii: "}"):
        return hosts
      default:
        if inList, byte &- 0x30 < 10 { sawDigit = true }
      }
    }
    return hosts
  }
}

/// Standard base64 (RFC 4648), as DeepSpeed's runner encodes `--world_info`.
enum Base64 {
  static func decode(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
    var output: [UInt8] = []
    var buffer: UInt32 = 0
    var bits = 0
    for byte in bytes {
      let value: UInt32
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
      case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
      case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
      case UInt8(ascii: "="): continue
      default: return nil
      }
      buffer = buffer << 6 | value
      bits += 6
      if bits >= 8 {
        bits -= 8
        output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
      }
    }
    return output
  }
}
