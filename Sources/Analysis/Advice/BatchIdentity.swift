/// The batch identity every data-parallel trainer obeys:
/// total batch = per-device batch × gradient-accumulation steps × GPUs per node × nodes.
///
/// HF prints the total as `Total train batch size (w. parallel, distributed & accumulation)`;
/// DeepSpeed asserts `train_batch_size == micro × GAS × world_size` (stability.md §2.1). With model
/// parallelism, "GPUs" means data-parallel replicas.
public struct BatchIdentity: Sendable, Equatable {
  public var perDevice: Int
  public var gradientAccumulation: Int
  public var gpusPerNode: Int
  public var nodes: Int

  public init(perDevice: Int, gradientAccumulation: Int, gpusPerNode: Int, nodes: Int) {
    self.perDevice = perDevice
    self.gradientAccumulation = gradientAccumulation
    self.gpusPerNode = gpusPerNode
    self.nodes = nodes
  }

  public var worldSize: Int { gpusPerNode * nodes }
  public var total: Int { perDevice * gradientAccumulation * gpusPerNode * nodes }

  /// `256 = 1 × 8 × 8 × 4`, in the order per-device × GAS × GPUs/node × nodes.
  public var arithmetic: String {
    "\(total) = \(perDevice) × \(gradientAccumulation) × \(gpusPerNode) × \(nodes)"
  }

  /// One of the five quantities.
  public enum Unknown: String, Sendable, CaseIterable {
    case perDevice = "per-device batch"
    case gradientAccumulation = "gradient accumulation steps"
    case gpusPerNode = "GPUs per node"
    case nodes
    case total = "total batch"
  }

  /// Why the fifth value cannot be had from the four given.
  public enum SolveError: Error, Equatable, CustomStringConvertible {
    case notExactlyOneUnknown(Int)
    case notPositive(Unknown)
    /// The division leaves a remainder: no whole number satisfies the identity.
    case notDivisible(total: Int, product: Int, unknown: Unknown)

    public var description: String {
      switch self {
      case .notExactlyOneUnknown(let count):
        "give exactly four of per-device, GAS, GPUs per node, nodes and total (\(count) missing)"
      case .notPositive(let which): "\(which.rawValue) must be a positive whole number"
      case .notDivisible(let total, let product, let unknown):
        "total \(total) is not a multiple of \(product): no whole \(unknown.rawValue) gives it"
      }
    }
  }

  /// Solves for the one missing quantity; the others must be positive.
  ///
  /// - Returns: the full identity and which value was computed.
  public static func solve(
    perDevice: Int?, gradientAccumulation: Int?, gpusPerNode: Int?, nodes: Int?, total: Int?
  ) throws(SolveError) -> (BatchIdentity, Unknown) {
    let values: [(Unknown, Int?)] = [
      (.perDevice, perDevice), (.gradientAccumulation, gradientAccumulation), (.gpusPerNode, gpusPerNode),
      (.nodes, nodes), (.total, total),
    ]
    let missing = values.filter { $0.1 == nil }
    guard missing.count == 1, let unknown = missing.first?.0 else {
      throw .notExactlyOneUnknown(missing.count)
    }
    for (which, value) in values where value != nil && value! <= 0 { throw .notPositive(which) }
    if unknown == .total {
      let identity = BatchIdentity(
        perDevice: perDevice!, gradientAccumulation: gradientAccumulation!, gpusPerNode: gpusPerNode!, nodes: nodes!)
      return (identity, .total)
    }
    let product = values.filter { $0.0 != .total }.compactMap(\.1).reduce(1, *)
    let target = total!
    guard target % product == 0 else { throw .notDivisible(total: target, product: product, unknown: unknown) }
    let solved = target / product
    var identity = BatchIdentity(
      perDevice: perDevice ?? solved, gradientAccumulation: gradientAccumulation ?? solved,
      gpusPerNode: gpusPerNode ?? solved, nodes: nodes ?? solved)
    if unknown == .nodes { identity.nodes = solved }
    return (identity, unknown)
  }

  /// Every (per-device, GAS) pair that reaches `total` on the given GPUs, with per-device at most
  /// `maxPerDevice` (the memory cap), largest per-device first (fewest accumulation steps).
  public static func combinations(total: Int, gpusPerNode: Int, nodes: Int, maxPerDevice: Int) -> [BatchIdentity] {
    let world = gpusPerNode * nodes
    guard total > 0, world > 0, maxPerDevice > 0, total % world == 0 else { return [] }
    let perReplica = total / world
    return stride(from: min(maxPerDevice, perReplica), through: 1, by: -1).compactMap { perDevice in
      guard perReplica % perDevice == 0 else { return nil }
      return BatchIdentity(
        perDevice: perDevice, gradientAccumulation: perReplica / perDevice, gpusPerNode: gpusPerNode, nodes: nodes)
    }
  }
}
