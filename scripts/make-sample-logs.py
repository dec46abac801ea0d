#!/usr/bin/env python3
"""Writes the sample logs in SampleLogs/ (deterministic: same bytes every run).

The logs imitate what `torchrun ... run_clm_sft_with_peft.py ... | tee train.log` prints with
transformers 4.40 + DeepSpeed ZeRO-2, in the style of Chinese-LLaMA-Alpaca-2's SFT scripts:
logger lines, the TrainingArguments dump, the `Running training` banner, tqdm bars redrawn with
a bare \\r, the clear-and-write of each dict, eval dicts, warnings glued to a bar, and the final
summary. Nothing here is copied from a real log; the shapes follow log-formats.md.
"""
import math
import random
import sys
from pathlib import Path


def bar(step, total, width=10):
    frac = step / total
    filled = int(frac * width)
    blocks = "█" * filled + ("▍" if filled < width else "") + " " * max(0, width - filled - 1)
    elapsed = step * 2
    remaining = (total - step) * 2
    rate = "2.01s/it" if step else "?it/s"
    return f"{int(frac * 100):3d}%|{blocks}| {step}/{total} [{elapsed // 60:02d}:{elapsed % 60:02d}<{remaining // 60:02d}:{remaining % 60:02d}, {rate}]"


def hf_sft_console(out):
    rng = random.Random(20240301)
    total, logging_steps, eval_steps = 300, 10, 100
    lr_peak, warmup = 1e-4, 9  # warmup_ratio 0.03 of 300 steps
    ts = "03/01/2024 10:00:{:02d}"
    w = out.write
    w(ts.format(1) + " - WARNING - __main__ - Process rank: 0, device: cuda:0, n_gpu: 1distributed training: True, 16-bits training: True\n")
    w(ts.format(1) + " - INFO - __main__ - Training/evaluation parameters MyTrainingArguments(\n")
    args = {
        "_n_gpu": 1, "adam_beta1": 0.9, "adam_beta2": 0.999, "adam_epsilon": 1e-08, "bf16": False,
        "deepspeed": "ds_zero2_no_offload.json", "do_eval": True, "do_train": True, "fp16": True,
        "gradient_accumulation_steps": 8, "learning_rate": 0.0001, "logging_first_step": False,
        "logging_nan_inf_filter": True, "logging_steps": logging_steps, "lr_scheduler_type": "cosine",
        "max_grad_norm": 1.0, "max_steps": -1, "num_train_epochs": 1.0, "output_dir": "output_dir",
        "per_device_eval_batch_size": 1, "per_device_train_batch_size": 1, "seed": 14, "warmup_ratio": 0.03,
        "warmup_steps": 0, "weight_decay": 0.0,
    }
    for key in sorted(args):
        w(f"{key}={args[key]},\n")
    w(")\n")
    w(ts.format(3) + " - WARNING - __main__ - Num train_samples  2400\n")
    w("[INFO|trainer.py:1969] 2024-03-01 10:00:05,120 >> ***** Running training *****\n")
    w("[INFO|trainer.py:1970] 2024-03-01 10:00:05,120 >>   Num examples = 2,400\n")
    w("[INFO|trainer.py:1971] 2024-03-01 10:00:05,120 >>   Num Epochs = 1\n")
    w("[INFO|trainer.py:1972] 2024-03-01 10:00:05,120 >>   Instantaneous batch size per device = 1\n")
    w("[INFO|trainer.py:1975] 2024-03-01 10:00:05,120 >>   Total train batch size (w. parallel, distributed & accumulation) = 8\n")
    w("[INFO|trainer.py:1976] 2024-03-01 10:00:05,120 >>   Gradient Accumulation steps = 8\n")
    w("[INFO|trainer.py:1977] 2024-03-01 10:00:05,120 >>   Total optimization steps = 300\n")
    w("[INFO|trainer.py:1978] 2024-03-01 10:00:05,121 >>   Number of trainable parameters = 44,695,552\n")
    w("\r" + bar(0, total))
    loss_level = 1.95
    for step in range(1, total + 1):
        w("\r" + bar(step, total))
        if step == 1:
            w("/usr/local/lib/python3.10/dist-packages/torch/utils/checkpoint.py:429: UserWarning: torch.utils.checkpoint: please pass in use_reentrant=True or use_reentrant=False explicitly.\n")
            w("  warnings.warn(\n")
        if step % logging_steps == 0:
            if step <= warmup:
                lr = lr_peak * step / warmup
            else:
                progress = (step - warmup) / (total - warmup)
                lr = lr_peak * 0.5 * (1 + math.cos(math.pi * progress))
            loss_level = 1.05 + 0.9 * math.exp(-step / 90)
            loss = round(loss_level + rng.gauss(0, 0.03), 4)
            grad_norm = abs(0.45 + rng.gauss(0, 0.08))
            epoch = round(step / total, 2)
            clear = "\r" + " " * 60 + "\r"
            w(clear + "{'loss': %s, 'grad_norm': %r, 'learning_rate': %r, 'epoch': %s}\n" % (loss, grad_norm, lr, epoch))
            w(bar(step, total))
        if step % eval_steps == 0:
            w("[INFO|trainer.py:3512] 2024-03-01 10:%02d:00,000 >> \n***** Running Evaluation *****\n" % (step // 30))
            w("[INFO|trainer.py:3514] 2024-03-01 10:%02d:00,000 >>   Num examples = 200\n" % (step // 30))
            w("[INFO|trainer.py:3517] 2024-03-01 10:%02d:00,000 >>   Batch size = 1\n" % (step // 30))
            for k in range(0, 201, 50):
                w("\r" + bar(k, 200).replace("2.01s/it", "9.80it/s"))
            eval_loss = round(loss_level + 0.05 + rng.gauss(0, 0.01), 4)
            w("\r" + " " * 60 + "\r{'eval_loss': %r, 'eval_runtime': 20.4113, 'eval_samples_per_second': 9.799, 'eval_steps_per_second': 9.799, 'epoch': %s}\n" % (eval_loss + 1e-9 * rng.random(), round(step / total, 2)))
            w(bar(step, total))
    w("\n[INFO|trainer.py:2231] 2024-03-01 10:10:05,000 >> \n\nTraining completed. Do not forget to share your model on huggingface.co/models =)\n\n\n")
    w("\r" + " " * 60 + "\r{'train_runtime': 602.1254, 'train_samples_per_second': 3.986, 'train_steps_per_second': 0.498, 'train_loss': 1.3012841796875, 'epoch': 1.0}\n")
    w(bar(total, total) + "\n")
    w("***** train metrics *****\n")
    w("  epoch                    =        1.0\n")
    w("  train_loss               =     1.3013\n")
    w("  train_runtime            = 0:10:02.12\n")


def hf_pretrain_diverging(out):
    """Two GPUs, two epochs, logged every 2 steps: warm-up, a loss spike that recovers at step 240
    (its grad-norm spike two steps ahead), then a slow divergence from step 470 that ends in NaN
    (logging_nan_inf_filter off, so the NaN is printed)."""
    rng = random.Random(20240302)
    total, logging_steps, eval_steps, warmup, lr_peak = 600, 2, 100, 30, 6e-4
    w = out.write
    w("[INFO|training_args.py:1902] 2024-03-02 08:00:01,000 >> PyTorch: setting up devices\n")
    w("03/02/2024 08:00:01 - INFO - __main__ - Training/evaluation parameters TrainingArguments(\n")
    args = {
        "_n_gpu": 1, "bf16": False, "fp16": True, "gradient_accumulation_steps": 4, "learning_rate": lr_peak,
        "logging_nan_inf_filter": False, "logging_steps": logging_steps, "lr_scheduler_type": "cosine",
        "max_grad_norm": 1.0, "max_steps": total, "num_train_epochs": 2.0, "output_dir": "out",
        "per_device_train_batch_size": 8, "seed": 7, "warmup_ratio": 0.0, "warmup_steps": warmup,
    }
    for key in sorted(args):
        w(f"{key}={args[key]},\n")
    w(")\n")
    w("[INFO|trainer.py:1969] 2024-03-02 08:00:05,000 >> ***** Running training *****\n")
    w("[INFO|trainer.py:1970] 2024-03-02 08:00:05,000 >>   Num examples = 19,200\n")
    w("[INFO|trainer.py:1971] 2024-03-02 08:00:05,000 >>   Num Epochs = 2\n")
    w("[INFO|trainer.py:1972] 2024-03-02 08:00:05,000 >>   Instantaneous batch size per device = 8\n")
    w("[INFO|trainer.py:1975] 2024-03-02 08:00:05,000 >>   Total train batch size (w. parallel, distributed & accumulation) = 64\n")
    w("[INFO|trainer.py:1976] 2024-03-02 08:00:05,000 >>   Gradient Accumulation steps = 4\n")
    w("[INFO|trainer.py:1977] 2024-03-02 08:00:05,000 >>   Total optimization steps = 600\n")
    level = 0.0
    for step in range(logging_steps, total + 1, logging_steps):
        lr = lr_peak * step / warmup if step <= warmup else lr_peak * 0.5 * (1 + math.cos(math.pi * (step - warmup) / (total - warmup)))
        level = 2.6 + 4.4 * math.exp(-step / 70) - (0.25 if step > 300 else 0.0)
        if step > 470:
            level *= 1.012 ** (step - 470)
        loss = level * (1 + rng.gauss(0, 0.02))
        grad_norm = abs(0.6 + rng.gauss(0, 0.06)) * (1 if step <= 470 else 1.02 ** (step - 470))
        if step == 240:
            loss *= 2.6
        if step == 238:
            grad_norm *= 9
        text_loss, text_grad = "%.4f" % loss, repr(round(grad_norm, 6))
        if step >= 566:
            text_loss, text_grad = "nan", "nan"
        w("{'loss': %s, 'grad_norm': %s, 'learning_rate': %r, 'epoch': %s}\n" % (text_loss, text_grad, lr, round(step / 300, 2)))
        if step % eval_steps == 0 and step < 566:
            w("{'eval_loss': %.4f, 'eval_runtime': 12.5, 'eval_samples_per_second': 16.0, 'eval_steps_per_second': 2.0, 'epoch': %s}\n" % (level * 1.03, round(step / 300, 2)))


def scaled_run(out, nodes, spikes, seed):
    """A pre-training-style run under torchrun: the launch command traced by `set -x`, the banner,
    one dict per 10 steps. The 2-node run keeps the 1-node run's learning rate and spikes."""
    rng = random.Random(seed)
    gpus, per_device, gas, lr, total_steps = 8, 1, 8, 2e-4, 1000
    total = per_device * gas * gpus * nodes
    w = out.write
    w("+ torchrun --nnodes %d --nproc_per_node %d run_clm_pt_with_peft.py --deepspeed ds_zero2_no_offload.json"
      " --per_device_train_batch_size %d --gradient_accumulation_steps %d --learning_rate %s"
      " --lr_scheduler_type cosine --warmup_ratio 0.05 --max_grad_norm 1.0 --logging_steps 10 --bf16\n"
      % (nodes, gpus, per_device, gas, lr))
    w("[INFO|trainer.py:1969] 2024-05-02 09:00:00,000 >> ***** Running training *****\n")
    w("[INFO|trainer.py:1970] 2024-05-02 09:00:00,000 >>   Num examples = {:,}\n".format(total * total_steps))
    w("[INFO|trainer.py:1971] 2024-05-02 09:00:00,000 >>   Num Epochs = 1\n")
    w("[INFO|trainer.py:1972] 2024-05-02 09:00:00,000 >>   Instantaneous batch size per device = %d\n" % per_device)
    w("[INFO|trainer.py:1975] 2024-05-02 09:00:00,000 >>   Total train batch size (w. parallel, distributed & accumulation) = %d\n" % total)
    w("[INFO|trainer.py:1976] 2024-05-02 09:00:00,000 >>   Gradient Accumulation steps = %d\n" % gas)
    w("[INFO|trainer.py:1977] 2024-05-02 09:00:00,000 >>   Total optimization steps = {:,}\n".format(total_steps))
    warmup = 50
    for step in range(10, total_steps + 1, 10):
        if step <= warmup:
            rate = lr * step / warmup
        else:
            rate = lr * 0.5 * (1 + math.cos(math.pi * (step - warmup) / (total_steps - warmup)))
        level = 2.2 + 1.6 * math.exp(-step / 250)
        loss = level * (1 + rng.gauss(0, 0.01))
        norm = 0.6 + abs(rng.gauss(0, 0.05))
        if step in spikes:
            loss *= spikes[step]
            norm *= 12
        w("\r" + " " * 40 + "\r{'loss': %s, 'grad_norm': %r, 'learning_rate': %r, 'epoch': %s}\n"
          % (round(loss, 4), norm, rate, round(step / total_steps, 2)))


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "SampleLogs")
    root.mkdir(exist_ok=True)
    with open(root / "hf-sft-console.log", "w", encoding="utf-8", newline="") as out:
        hf_sft_console(out)
    with open(root / "hf-pretrain-diverging.log", "w", encoding="utf-8", newline="") as out:
        hf_pretrain_diverging(out)
    with open(root / "scaling-1node.log", "w", encoding="utf-8", newline="") as out:
        scaled_run(out, nodes=1, spikes={}, seed=11)
    with open(root / "scaling-2nodes-same-lr.log", "w", encoding="utf-8", newline="") as out:
        scaled_run(out, nodes=2, spikes={240: 2.6, 410: 3.1, 420: 1.9, 630: 2.8}, seed=11)


if __name__ == "__main__":
    main()
