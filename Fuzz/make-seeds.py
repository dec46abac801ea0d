#!/usr/bin/env python3
"""Writes the fuzz seed corpora under Fuzz/Seeds/FAMILY from the repository's fixtures.

Seeds are small (libFuzzer mutates them; a few KB each is plenty): the first lines of the sample
logs and fixtures, hand-written lines from log-formats.md's line shapes, and small JSON files.
scripts/fuzz.sh adds pieces of the shared corpus at run time when it is present.
"""
import json, os, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
seeds = os.path.join(root, "Fuzz", "Seeds")


def head(path, size=4096):
    with open(os.path.join(root, path), "rb") as f:
        data = f.read(size)
    return data[: data.rfind(b"\n") + 1] or data


def write(family, name, data):
    os.makedirs(os.path.join(seeds, family), exist_ok=True)
    with open(os.path.join(seeds, family, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


hf_lines = [
    "{'loss': 2.3456, 'grad_norm': 1.234, 'learning_rate': 1.9e-05, 'epoch': 0.01}\n",
    "{'loss': nan, 'grad_norm': inf, 'learning_rate': 0.0, 'epoch': 1.0}\r 10%|#   | 10/100 [00:01<00:09]\n",
    "[rank0]: {'eval_loss': 1.5, 'eval_runtime': 3.2, 'epoch': 1.0}\n",
    "{'train_runtime': 123.4, 'train_samples_per_second': 8.1, 'train_loss': 1.9, 'epoch': 3.0}\n",
    "***** Running training *****\n  Num examples = 1,000\n  Total train batch size (w. parallel, distributed & accumulation) = 64\n",
]
write("hf-dict", "sample-head.log", head("SampleLogs/hf-sft-console.log", 2048))
for index, line in enumerate(hf_lines):
    write("hf-dict", f"line-{index}.log", line)

ds_lines = [
    "[2024-09-15 00:13:21,397] [INFO] [logging.py:96:log_dist] [Rank 0] step=10, skipped=1, lr=[3e-05, 3e-05], mom=[(0.9, 0.95), (0.9, 0.95)]\n",
    "[2024-09-15 00:13:21,397] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, reducing to 32768\n",
    "Grad overflow on iteration 12\nReducing dynamic loss scale from 4096.0 to 2048.0\n",
    "[INFO] [config.py:1000:print] DeepSpeedEngine configuration:\n  train_batch_size ............. 16\n  json = {\n    \"train_batch_size\": 16,\n    \"fp16\": {\"enabled\": true}\n}\n",
    "AssertionError: Check batch related parameters. train_batch_size is not equal to micro_batch_per_gpu * gradient_acc_step * world_size 16 != 1 * 8 * 1\n",
    "[INFO] [launch.py:163:main] WORLD INFO DICT: {'localhost': [0, 1]}\nnnodes=1, num_local_procs=2, node_rank=0\ndist_world_size=2\n",
]
write("deepspeed-lines", "scaling-head.log", head("SampleLogs/scaling-1node.log"))
for index, line in enumerate(ds_lines):
    write("deepspeed-lines", f"line-{index}.log", line)

write("megatron", "fixture-head.log", head("Tests/Fixtures/megatron-slow-divergence.log"))
write("megatron", "arguments.log",
      "------------------------ arguments ------------------------\n  lr .............................................. 0.0003\n"
      "  micro_batch_size ................................ 4\n-------------------- end of arguments ---------------------\n"
      " iteration        5/     100 | lm loss: nan | grad norm: nan | number of skipped iterations:   1 |\n")

write("launch-script", "run_sft.sh", head("SampleLogs/run_sft.sh"))
write("launch-script", "variables.sh",
      "lr=1e-4\nexport GAS=${GAS:-8}\ntorchrun --nnodes 1 --nproc_per_node=2 train.py \\\n  --learning_rate ${lr} "
      "--gradient_accumulation_steps $GAS --fp16 --deepspeed 'ds.json' 2>&1 | tee log.txt\n")

write("deepspeed-config", "ds_zero2_no_offload.json", head("SampleLogs/ds_zero2_no_offload.json"))
write("deepspeed-config", "auto.json", json.dumps(
    {"train_batch_size": "auto", "gradient_accumulation_steps": 8, "fp16": {"enabled": "auto", "loss_scale": 0},
     "optimizer": {"type": "AdamW", "params": {"lr": 1e-4, "betas": [0.9, 0.95]}}}, indent=2))
write("deepspeed-config", "nonfinite.json", '{"steps_per_print": inf, "x": NaN, "y": -Infinity, "z": 1e999}\n')

state = {"global_step": 20, "logging_steps": 10, "max_steps": 20, "train_batch_size": 4,
         "log_history": [{"loss": 2.5, "grad_norm": 1.5, "learning_rate": 1e-5, "epoch": 0.5, "step": 10},
                         {"eval_loss": 2.4, "epoch": 0.5, "step": 10},
                         {"loss": float("nan"), "grad_norm": float("inf"), "learning_rate": 2e-5, "epoch": 1.0, "step": 20},
                         {"train_runtime": 12.5, "train_loss": 2.4, "epoch": 1.0, "step": 20}]}
write("trainer-state", "trainer_state.json", json.dumps(state, indent=2))
write("trainer-state", "cut.json", json.dumps(state, indent=2)[:200])

for family in ["hf-dict", "deepspeed-lines", "megatron"]:
    # The segment reader takes a read size and a segment cap from its first two bytes.
    for name in sorted(os.listdir(os.path.join(seeds, family)))[:2]:
        with open(os.path.join(seeds, family, name), "rb") as f:
            write("segment-reader", f"{family}-{name}", b"\x07\x50" + f.read())
write("segment-reader", "tqdm-cr.log", b"\x03\x20" + b"\r 10%|#  |\r 20%|## |\r{'loss': 1.0, 'epoch': 0.1}\n" * 3)
for index, text in enumerate(["5e-05", "1.2055455093429777e-07", "2.999E-04", "-0.0", "1e999", "4294967296",
                              "0.1000000000000000055511151231257827", "9007199254740993", "2.2250738585072011e-308"]):
    write("numbers", f"number-{index}", text)
print("seeds written to", seeds, file=sys.stderr)
