import Analysis
import ArgumentParser

/// `diagnose batch`: the batch identity as a calculator, with the learning rates that go with it.
struct BatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "batch",
    abstract: "Compute total batch = per-device × GAS × GPUs per node × nodes, and the matching learning rate.",
    discussion: """
      Give any four of --per-device, --gas, --gpus-per-node, --nodes and --total to get the fifth. \
      Give --total, --gpus-per-node, --nodes and --max-per-device (the most that fits in memory) to list \
      the per-device × GAS pairs that reach the total. Add --lr and --lr-batch (the total batch that lr \
      was tuned for) to get the square-root (Adam) and linear (SGD) learning rates for the new total.

      Examples:
        diagnose batch --per-device 1 --gas 8 --gpus-per-node 8 --nodes 4
        diagnose batch --total 256 --per-device 1 --gpus-per-node 8 --nodes 4
        diagnose batch --total 256 --gpus-per-node 8 --nodes 2 --max-per-device 4
        diagnose batch --per-device 1 --gas 8 --gpus-per-node 8 --nodes 2 --lr 2e-4 --lr-batch 64
      """
  )

  @Option(help: "Per-device (micro) batch size: per_device_train_batch_size.")
  var perDevice: Int?

  @Option(name: [.customLong("gas"), .customLong("gradient-accumulation-steps")], help: "Gradient accumulation steps.")
  var gas: Int?

  @Option(help: "GPUs (data-parallel processes) per node: --nproc_per_node.")
  var gpusPerNode: Int?

  @Option(help: "Number of nodes: --nnodes.")
  var nodes: Int?

  @Option(help: "Total (global) batch size.")
  var total: Int?

  @Option(help: "The largest per-device batch that fits in memory, to list combinations.")
  var maxPerDevice: Int?

  @Option(help: "A learning rate known to work at --lr-batch.")
  var lr: Double?

  @Option(help: "The total batch --lr was chosen for.")
  var lrBatch: Int?

  @Option(help: "Optimizer family (adamw, adam, sgd…), to say which rule applies.")
  var optimizer: String = "adamw"

  func validate() throws {
    if (lr == nil) != (lrBatch == nil) { throw ValidationError("--lr and --lr-batch go together") }
    if let lrBatch, lrBatch <= 0 { throw ValidationError("--lr-batch must be positive") }
  }

  func run() throws {
    var output = OutputBuffer()
    defer { output.flush() }
    if let maxPerDevice, perDevice == nil, gas == nil {
      guard let total, let gpusPerNode, let nodes else {
        throw ValidationError("listing combinations needs --total, --gpus-per-node and --nodes")
      }
      let found = BatchIdentity.combinations(
        total: total, gpusPerNode: gpusPerNode, nodes: nodes, maxPerDevice: maxPerDevice)
      if found.isEmpty {
        output.append("no per-device ≤ \(maxPerDevice) and whole GAS reach total \(total) on \(gpusPerNode * nodes) GPUs")
        output.endLine()
        throw ExitCode(ExitStatus.inputError)
      }
      output.append("per-device × GAS pairs reaching total \(total) on \(gpusPerNode) GPUs/node × \(nodes) nodes:")
      output.endLine()
      for identity in found {
        output.append("  per-device \(identity.perDevice), GAS \(identity.gradientAccumulation)   (\(identity.arithmetic))")
        output.endLine()
      }
      appendLearningRates(for: total, into: &output)
      return
    }
    let identity: BatchIdentity
    let unknown: BatchIdentity.Unknown
    do {
      (identity, unknown) = try BatchIdentity.solve(
        perDevice: perDevice, gradientAccumulation: gas, gpusPerNode: gpusPerNode, nodes: nodes, total: total)
    } catch {
      throw ValidationError(error.description)
    }
    output.append(
      "total batch \(identity.total) = per-device \(identity.perDevice) × GAS \(identity.gradientAccumulation)"
        + " × GPUs/node \(identity.gpusPerNode) × nodes \(identity.nodes)   (computed: \(unknown.rawValue))")
    output.endLine()
    output.append("world size \(identity.worldSize) = \(identity.gpusPerNode) GPUs/node × \(identity.nodes) nodes")
    output.endLine()
    output.endLine()
    output.append("DeepSpeed keys that agree:")
    output.endLine()
    output.append("  \"train_batch_size\": \(identity.total),")
    output.endLine()
    output.append("  \"train_micro_batch_size_per_gpu\": \(identity.perDevice),")
    output.endLine()
    output.append("  \"gradient_accumulation_steps\": \(identity.gradientAccumulation)")
    output.endLine()
    appendLearningRates(for: identity.total, into: &output)
  }

  private func appendLearningRates(for newTotal: Int, into output: inout OutputBuffer) {
    guard let lr, let lrBatch else { return }
    let recommended = LearningRateScaling.recommended(forOptimizer: optimizer)
    output.endLine()
    output.append("learning rate for total \(newTotal) (\(ShortNumber.format(lr)) was tuned for total \(lrBatch)):")
    output.endLine()
    for rule in LearningRateScaling.allCases {
      let marker = rule == recommended ? "   <- for \(optimizer)" : ""
      output.append("  \(rule.title.padding(to: 22)) \(rule.arithmetic(lr, from: lrBatch, to: newTotal))\(marker)")
      output.endLine()
    }
  }
}
