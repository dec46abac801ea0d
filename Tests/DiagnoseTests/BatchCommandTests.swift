import Testing

@Suite("diagnose batch, end to end")
struct BatchCommandTests {
  @Test("four quantities give the fifth, the DeepSpeed keys that agree, and both learning-rate rules")
  func solvesAndScales() throws {
    let result = try DiagnoseProcess.run([
      "batch", "--per-device", "1", "--gas", "8", "--gpus-per-node", "8", "--nodes", "2", "--lr", "2e-4", "--lr-batch", "64",
    ])
    #expect(result.status == 0)
    #expect(result.stdout.contains("total batch 128 = per-device 1 × GAS 8 × GPUs/node 8 × nodes 2"))
    #expect(result.stdout.contains("\"train_batch_size\": 128,"))
    #expect(result.stdout.contains("\"gradient_accumulation_steps\": 8"))
    #expect(result.stdout.contains("2e-4 × √(128 / 64) = 2.83e-4   <- for adamw"))
    #expect(result.stdout.contains("2e-4 × 128 / 64 = 4e-4"))
  }

  @Test("the missing GAS is computed from the total")
  func computesAccumulation() throws {
    let result = try DiagnoseProcess.run(["batch", "--total", "256", "--per-device", "1", "--gpus-per-node", "8", "--nodes", "4"])
    #expect(result.status == 0)
    #expect(result.lines.first == "total batch 256 = per-device 1 × GAS 8 × GPUs/node 8 × nodes 4   (computed: gradient accumulation steps)")
  }

  @Test("a memory cap lists the pairs that reach the total")
  func combinations() throws {
    let result = try DiagnoseProcess.run(["batch", "--total", "256", "--gpus-per-node", "8", "--nodes", "2", "--max-per-device", "4"])
    #expect(result.status == 0)
    #expect(result.lines.dropFirst().map { $0.trimmingPrefix(while: { $0 == " " }) }.map(String.init) == [
      "per-device 4, GAS 4   (256 = 4 × 4 × 8 × 2)", "per-device 2, GAS 8   (256 = 2 × 8 × 8 × 2)",
      "per-device 1, GAS 16   (256 = 1 × 16 × 8 × 2)",
    ])
  }

  @Test("an impossible total is a usage error with the reason, exit 2")
  func impossible() throws {
    let result = try DiagnoseProcess.run(["batch", "--total", "100", "--gas", "1", "--gpus-per-node", "8", "--nodes", "1"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("total 100 is not a multiple of 8"))
  }
}
