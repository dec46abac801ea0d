/// The canonical names of the settings `diagnose` resolves, HF's argument names where HF has one,
/// and the names other sources use for the same thing.
///
/// DeepSpeed says `train_micro_batch_size_per_gpu` where HF says `per_device_train_batch_size`;
/// Megatron says `micro_batch_size`, `global_batch_size`, `clip_grad`, `lr`; launchers say
/// `nproc_per_node`, `nnodes`. They all land on one name here (log-formats.md §2.5–2.8, §3, §5).
public enum SettingName: String, Sendable, CaseIterable, Codable {
  case perDeviceTrainBatchSize = "per_device_train_batch_size"
  case gradientAccumulationSteps = "gradient_accumulation_steps"
  case gpusPerNode = "gpus_per_node"
  case nodes
  case worldSize = "world_size"
  case dataParallelSize = "data_parallel_size"
  case totalBatchSize = "total_batch_size"
  case learningRate = "learning_rate"
  case warmupSteps = "warmup_steps"
  case warmupRatio = "warmup_ratio"
  case lrSchedulerType = "lr_scheduler_type"
  case maxGradNorm = "max_grad_norm"
  case precision
  case zeroStage = "zero_stage"
  case initialLossScale = "initial_loss_scale"
  case maxSteps = "max_steps"
  case optimizer
  case tensorParallelSize = "tensor_model_parallel_size"
  case pipelineParallelSize = "pipeline_model_parallel_size"
  case loggingSteps = "logging_steps"
  case numTrainEpochs = "num_train_epochs"

  /// The canonical name for a source's setting name, or `nil` when it is not one we resolve.
  public static func canonical(_ name: String) -> SettingName? {
    if let direct = SettingName(rawValue: name) { return direct }
    return aliases[name]
  }

  private static let aliases: [String: SettingName] = [
    "train_micro_batch_size_per_gpu": .perDeviceTrainBatchSize,
    "micro_batch_size": .perDeviceTrainBatchSize,
    "instantaneous_batch_size_per_device": .perDeviceTrainBatchSize,
    "train_batch_size": .totalBatchSize,
    "global_batch_size": .totalBatchSize,
    "total_train_batch_size": .totalBatchSize,
    "nproc_per_node": .gpusPerNode,
    "num_gpus": .gpusPerNode,
    "num_local_procs": .gpusPerNode,
    "nnodes": .nodes,
    "num_nodes": .nodes,
    "dist_world_size": .worldSize,
    "lr": .learningRate,
    "optimizer.params.lr": .learningRate,
    "gradient_clipping": .maxGradNorm,
    "clip_grad": .maxGradNorm,
    "lr_warmup_iters": .warmupSteps,
    "lr_warmup_fraction": .warmupRatio,
    "lr_decay_style": .lrSchedulerType,
    "scheduler": .lrSchedulerType,
    "zero_optimization_stage": .zeroStage,
    "zero_optimization.stage": .zeroStage,
    "initial_dynamic_scale": .initialLossScale,
    "train_iters": .maxSteps,
    "total_optimization_steps": .maxSteps,
    "optimizer_name": .optimizer,
    "optimizer.type": .optimizer,
    "tensor_parallel_size": .tensorParallelSize,
    "pipeline_parallel_size": .pipelineParallelSize,
  ]
}
