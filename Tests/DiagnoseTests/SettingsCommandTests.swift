import Foundation
import Testing

@Suite("diagnose settings on launch scripts, DeepSpeed configs and logs, end to end")
struct SettingsCommandTests {
  /// (name, value, source, file) of every row of `settings --format json`.
  static func rows(_ result: DiagnoseProcess.Result) throws -> [(String, String, String, String)] {
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let settings = try #require(object?["settings"] as? [[String: Any]])
    return settings.map { row in
      let value = row["value"].map { "\($0)" } ?? "nil"
      return (row["name"] as? String ?? "", value, row["source"] as? String ?? "", row["file"] as? String ?? "")
    }
  }

  @Test(
    "the sample SFT script with its ZeRO-2 config: 1 × 8 × 1 GPU, lr 1e-4, warmup 0.03, cosine, fp16, stage 2, batch keys auto"
  )
  func sampleScriptAndConfig() throws {
    let result = try DiagnoseProcess.run([
      "settings", "--format", "json", "SampleLogs/run_sft.sh", "--config", "SampleLogs/ds_zero2_no_offload.json",
    ])
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty)
    let rows = try Self.rows(result)
    let script = rows.filter { $0.2 == "launch-command" }
    #expect(
      script.map { "\($0.0)=\($0.1)" } == [
        "nodes=1", "gpus_per_node=1", "deepspeed=ds_zero2_no_offload.json", "model_name_or_path=path/to/base/model",
        "per_device_train_batch_size=1", "fp16=1", "num_train_epochs=1", "lr_scheduler_type=cosine",
        "learning_rate=0.0001", "warmup_ratio=0.03", "logging_steps=10", "gradient_accumulation_steps=8",
        "logging_first_step=1",
      ])
    let config = Dictionary(rows.filter { $0.2 == "deepspeed-config" }.map { ($0.0, $0.1) }, uniquingKeysWith: { $1 })
    #expect(config["zero_stage"] == "2")
    for key in [
      "train_batch_size", "train_micro_batch_size_per_gpu", "gradient_accumulation_steps", "gradient_clipping", "fp16",
    ] {
      #expect(config[key] == "auto", "\(key)")
    }
    // The config was given and is also named by the script: it is read once.
    #expect(rows.filter { $0.0 == "zero_stage" }.count == 1)
    let text = try DiagnoseProcess.run([
      "settings", "SampleLogs/run_sft.sh", "--config", "SampleLogs/ds_zero2_no_offload.json",
    ])
    #expect(
      text.lines.contains {
        $0.hasPrefix("train_batch_size ") && $0.contains("\"auto\"") && $0.contains("ds_zero2_no_offload.json:22")
      })
    #expect(
      text.lines.contains { $0.hasPrefix("learning_rate ") && $0.contains("0.0001") && $0.contains("run_sft.sh:38") })
  }

  @Test("the config a script names is found beside it when not given")
  func namedConfigIsFound() throws {
    let result = try DiagnoseProcess.run(["settings", "--format", "json", "SampleLogs/run_sft.sh"])
    #expect(result.status == 0)
    let rows = try Self.rows(result)
    #expect(rows.contains { $0.0 == "zero_stage" && $0.1 == "2" && $0.3 == "SampleLogs/ds_zero2_no_offload.json" })
  }

  @Test(
    "invalid JSON and unresolvable script variables: one message each with file and line, exit 2, the rest still read")
  func badInputs() throws {
    let json = try DiagnoseProcess.temporaryFile(
      Array("{\n  \"train_batch_size\": 8,\n  \"fp16\": {\"enabled\": true,}\n}\n".utf8), suffix: ".json")
    let script = try DiagnoseProcess.temporaryFile(
      Array(
        "bs=2\ntorchrun --nproc_per_node 4 train.py \\\n  --per_device_train_batch_size $bs \\\n  --learning_rate ${LR}\n"
          .utf8),
      suffix: ".sh")
    defer {
      try? FileManager.default.removeItem(at: json)
      try? FileManager.default.removeItem(at: script)
    }
    let result = try DiagnoseProcess.run([
      "settings", "--format", "json", script.path, "--config", json.path, "--config",
      "SampleLogs/ds_zero2_no_offload.json",
    ])
    #expect(result.status == 2)
    let messages = result.stderr.split(separator: "\n")
    #expect(messages.count == 2)
    #expect(
      messages.contains {
        $0.hasPrefix("diagnose: \(script.path):4: cannot resolve shell variables: --learning_rate uses $LR")
      })
    #expect(messages.contains { $0.hasPrefix("diagnose: \(json.path):3") && $0.contains("not valid JSON") })
    let rows = try Self.rows(result)
    #expect(rows.contains { $0.0 == "per_device_train_batch_size" && $0.1 == "2" })
    #expect(rows.contains { $0.0 == "gpus_per_node" && $0.1 == "4" })
    #expect(!rows.contains { $0.0 == "learning_rate" })
    #expect(rows.contains { $0.0 == "zero_stage" && $0.1 == "2" })
    #expect(!rows.contains { $0.3 == json.path })
  }

  @Test(
    "01's engine dump and launcher lines and 25's assertion numbers are settings",
    .enabled(if: SharedCorpus.isAvailable, "../shared is not present"))
  func corpusSettings() throws {
    let first = try #require(SharedCorpus.file("01-"))
    let assertion = try #require(SharedCorpus.file("25-"))
    let result = try DiagnoseProcess.run(["settings", "--format", "json", first.path, assertion.path])
    #expect(result.status == 0)
    let rows = try Self.rows(result)
    let dump = Dictionary(
      rows.filter { $0.2 == "deepspeed-engine-dump" }.map { ($0.0, $0.1) }, uniquingKeysWith: { $1 })
    #expect(dump["train_batch_size"] == "16")
    #expect(dump["train_micro_batch_size_per_gpu"] == "4")
    #expect(dump["world_size"] == "4")
    let errors = rows.filter { $0.2 == "error-message" }.map { "\($0.0)=\($0.1)" }
    #expect(
      errors == [
        "train_batch_size=8", "train_micro_batch_size_per_gpu=2", "gradient_accumulation_steps=1", "world_size=1",
        "train_batch_size=64", "train_micro_batch_size_per_gpu=4", "gradient_accumulation_steps=8", "world_size=1",
      ])
  }
}

@Suite("diagnose series on DeepSpeed and Megatron logs")
struct SeriesFormatsTests {
  @Test(
    "DeepSpeed step lines lend their skipped count and overflows to the next row; Megatron lines loss scale and global batch; ranks kept")
  func newColumns() throws {
    let log = """
      [2024-01-01 00:00:00,000] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, reducing to 32768
      [2024-01-01 00:00:01,000] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 32768, reducing to 16384
      [2024-01-01 00:00:02,000] [INFO] [logging.py:96:log_dist] [Rank 0] step=10, skipped=2, lr=[0.0001], mom=[(0.9, 0.999)]
      [default1]: iteration       20/     100 | consumed samples:          640 | elapsed time per iteration (ms): 100.0 | learning rate: 1.000000E-04 | global batch size:    32 | lm loss: 2.500000E+00 | loss scale: 16384.0 | grad norm: 1.250 | number of skipped iterations:   1 | number of nan iterations:   0 |
       iteration       30/     100 | consumed samples:          960 | elapsed time per iteration (ms): 100.0 | learning rate: 1.000000E-04 | global batch size:    32 | loss scale: 8192.0 | grad norm: nan | number of skipped iterations:   1 | number of nan iterations:   1 |

      """
    let file = try DiagnoseProcess.temporaryFile(Array(log.utf8))
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try DiagnoseProcess.run(["series", file.path])
    #expect(result.status == 0)
    let rows = result.lines.dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst().joined(separator: ",")
    }
    #expect(
      rows == [
        "4,20,,2.5,1.25,0.0001,logged,1,16384.0,1,2,32,1",
        "5,30,,nan,nan,0.0001,logged,1,8192.0,1,0,32,",
      ])
  }
}
