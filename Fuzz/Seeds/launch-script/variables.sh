lr=1e-4
export GAS=${GAS:-8}
torchrun --nnodes 1 --nproc_per_node=2 train.py \
  --learning_rate ${lr} --gradient_accumulation_steps $GAS --fp16 --deepspeed 'ds.json' 2>&1 | tee log.txt
