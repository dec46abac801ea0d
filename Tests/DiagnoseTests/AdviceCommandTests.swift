import Foundation
import Testing

@Suite("Settings, causes and suggestions, end to end")
struct AdviceCommandTests {
  @Test("preflight: a DeepSpeed micro batch of 4 against --per_device_train_batch_size 1 is refused: exit 1, named, fixed")
  func preflightMismatch() throws {
    let sample = try String(contentsOfFile: DiagnoseProcess.packageRoot.appendingPathComponent("SampleLogs/ds_zero2_no_offload.json").path, encoding: .utf8)
    let changed = sample.replacingOccurrences(
      of: "\"train_micro_batch_size_per_gpu\": \"auto\"", with: "\"train_micro_batch_size_per_gpu\": 4")
    #expect(changed != sample)
    let config = try DiagnoseProcess.temporaryFile(Array(changed.utf8), suffix: ".json")
    defer { try? FileManager.default.removeItem(at: config) }
    let result = try DiagnoseProcess.run(["preflight", "SampleLogs/run_sft.sh", "--config", config.path])
    #expect(result.status == 1)
    #expect(result.stdout.contains("refused at start-up [deepspeed_config_mismatch]"))
    #expect(result.stdout.contains("says train_micro_batch_size_per_gpu 4, but SampleLogs/run_sft.sh:30 says per_device_train_batch_size 1"))
    #expect(result.stdout.contains("fix: train_micro_batch_size_per_gpu 4 → \"auto\""))
  }

  @Test("preflight: the sample script and its all-auto config start cleanly, with the total batch's arithmetic")
  func preflightClean() throws {
    let result = try DiagnoseProcess.run(["preflight", "SampleLogs/run_sft.sh"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("total batch 8 = 1 × 8 × 1 × 1 (per-device × GAS × GPUs/node × nodes); lr 1e-4 (cosine, warm-up ratio 0.03); fp16; ZeRO 2"))
    #expect(result.stdout.contains("no problem found"))
  }

  @Test("preflight: clipping off, fp16 on a Llama-2 model, and a doubled batch at the reference lr are flagged")
  func preflightRules() throws {
    let script = """
      torchrun --nnodes 2 --nproc_per_node 8 train.py --model_name_or_path meta-llama/Llama-2-7b-hf \\
        --per_device_train_batch_size 2 --gradient_accumulation_steps 4 --learning_rate 2e-4 --max_grad_norm 0 \\
        --fp16 --warmup_steps 0 --max_steps 5000
      """
    let file = try DiagnoseProcess.temporaryFile(Array(script.utf8), suffix: ".sh")
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try DiagnoseProcess.run([
      "preflight", file.path, "--reference-batch", "64", "--reference-lr", "2e-4",
    ])
    #expect(result.status == 0)
    #expect(result.stdout.contains("[no_clipping]"))
    #expect(result.stdout.contains("[fp16_on_bf16_model]"))
    #expect(result.stdout.contains("[short_warmup]"))
    #expect(result.stdout.contains("learning_rate 2e-4 → 2.83e-4  (Adam square-root rule: 2e-4 × √(128 / 64) = 2.83e-4; total batch 128 = 2 × 4 × 8 × 2)"))
  }

  @Test(
    "report on corpus 25: the batch assertion explained with its four numbers and a fix that satisfies it",
    .enabled(if: SharedCorpus.isAvailable, "../shared is not present"))
  func batchAssertion() throws {
    let file = try #require(SharedCorpus.file("25-"))
    let result = try DiagnoseProcess.run(["report", file.path])
    #expect(result.status == 1)
    #expect(result.stdout.contains("train_batch_size 8 ≠ micro 2 × GAS 1 × world size 1 = 2"))
    #expect(result.stdout.contains("suggest: train_batch_size 8 → \"auto\" (or 2)  (DeepSpeed batch identity: 2 = 2 × 1 × 1)"))
    #expect(result.stdout.contains("train_batch_size 64 ≠ micro 4 × GAS 8 × world size 1 = 32"))
  }

  @Test(
    "report on corpus 01: train batch 16 = 4 × 1 × 4 is consistent",
    .enabled(if: SharedCorpus.isAvailable, "../shared is not present"))
  func consistentBatch() throws {
    let file = try #require(SharedCorpus.file("01-"))
    let result = try DiagnoseProcess.run(["report", file.path])
    #expect(result.stdout.contains("total batch 16 = 4 × 1 × 4 × 1"))
    #expect(!result.stdout.contains("mismatch"))
  }

  @Test("report NEW --baseline OLD: the 2-node run's spikes are put on the batch change, with the √ lr and the GAS that restores the old total")
  func baselinePair() throws {
    let result = try DiagnoseProcess.run([
      "report", "--format", "json", "SampleLogs/scaling-2nodes-same-lr.log", "--baseline", "SampleLogs/scaling-1node.log",
    ])
    #expect(result.status == 1)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let run = try #require((json["runs"] as? [[String: Any]])?.first)
    let causes = try #require(run["causes"] as? [[String: Any]])
    #expect(causes.first?["kind"] as? String == "batch_changed_lr_did_not")
    let suggestions = try #require(run["suggestions"] as? [[String: Any]])
    #expect(suggestions.map { "\($0["setting"]!) \($0["current"]!) → \($0["suggested"]!)" } == [
      "learning_rate 2e-4 → 2.83e-4", "gradient_accumulation_steps 8 → 4",
    ])
    let total = try #require((run["settings"] as? [String: Any])?["total_batch_size"] as? [String: Any])
    #expect(total["value"] as? Int == 128)
  }

  @Test("the same 2-node run without a baseline blames no setting for its recovered spikes")
  func noBaseline() throws {
    let result = try DiagnoseProcess.run(["report", "SampleLogs/scaling-2nodes-same-lr.log"])
    #expect(!result.stdout.contains("batch_changed_lr_did_not"))
    #expect(result.stdout.contains("no_setting_to_blame"))
    #expect(!result.stdout.contains("suggest:"))
  }
}
