#!/usr/bin/env bash
# Seed spread of the full preset's two key rows: the dense baseline and the hybrid compressed from it at 25 %
# (hybrid-svd-25), retrained with seeds 2 and 3 by the same recipe as `experiment --preset full` (seed 1 is the
# sweep itself). Writes results/full/seeds.csv. Usage, from the repository root after the sweep:
#   results/full/seeds.sh            (~10 min on 2 cores; the two seeds run side by side)
set -euo pipefail
cd "$(dirname "$0")/../.."
cli() { dotnet run -c Release --no-build --project src/CompactRnn.Cli -- "$@"; }
data=data/digits-full.crds
work=results/full/models/seeds
mkdir -p "$work"
dotnet build src/CompactRnn.Cli -c Release > /dev/null
wer() { cli eval --model "$1" --data "$data" --split "$2" | sed -n 's/.*WER \([0-9.]*\)%.*/\1/p' | head -n 1; }
one() {
  local seed=$1
  cli train --spec 'dense x3' --hidden 192 --projection 96 --epochs 1 --batch 32 --lr 0.003 --seed "$seed" \
    --data "$data" --out "$work/dense-s$seed.crnn" > "$work/dense-s$seed.log"
  # hybrid-svd-25 of the sweep: r = 1, K = 44, bottom two layers Toeplitz-like; 1 epoch of fine-tuning at batch 32.
  cli compress --model "$work/dense-s$seed.crnn" --to hybrid --rank 44 --displacement-rank 1 --fine-tune-epochs 1 --batch 32 \
    --data "$data" --out "$work/hybrid-svd-25-s$seed.crnn" > "$work/hybrid-svd-25-s$seed.log"
  for model in dense hybrid-svd-25; do
    echo "$model,$seed,$(wer "$work/$model-s$seed.crnn" test),$(wer "$work/$model-s$seed.crnn" dev)" > "$work/$model-s$seed.row"
  done
}
one 2 & one 3 & wait
{
  echo "name,seed,test_wer,dev_wer"
  awk -F, 'NR > 1 && ($1 == "dense" || $1 == "hybrid-svd-25") { printf "%s,1,%.2f,%.2f\n", $1, $5, $14 }' results/full/results.csv
  cat "$work"/*.row
} > results/full/seeds.csv
cat results/full/seeds.csv
