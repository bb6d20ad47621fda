#!/usr/bin/env bash
# Dev frame accuracy right after each fit, before any fine-tuning (issue #11 item 4), at the 25 % budget of the full
# preset's dense model. Usage: results/compress-fits/run.sh MODEL DATA [ITERATIONS]; writes results.csv and logs/ here.
# Deterministic: no seed enters the fits (the utterances are evenly spaced over the training split, L-BFGS is
# deterministic); the dense model's own seed is in the results.csv of the run that trained it.
set -euo pipefail
model="$1"; data="$2"; iterations="${3:-3000}"
here="$(cd "$(dirname "$0")" && pwd)"; repo="$(cd "$here/../.." && pwd)"
cli="${CLI:-dotnet $repo/artifacts/bin/CompactRnn.Cli/release/CompactRnn.Cli.dll}"
mkdir -p "$here/logs"
rows=()
run() { # name, params..., then the compress options
  local name="$1"; shift
  local log="$here/logs/$name.log"
  nice -n 5 $cli compress --model "$model" --out "/tmp/compress-fits-$name.crnn" --data "$data" --report-dev "$@" > "$log" 2>&1
  local spec params acc loss
  spec=$(head -n 20 "$log" | grep -m1 ' parameters, ' | sed 's/: .*//')
  params=$(grep -m1 ' parameters, ' "$log" | sed 's/.*: \([0-9,]*\) parameters.*/\1/' | tr -d ,)
  acc=$(grep 'dev (compressed' "$log" | sed 's/.*frame accuracy \([0-9.]*\)%.*/\1/')
  loss=$(grep 'dev (compressed' "$log" | sed 's/.*loss \([0-9.]*\),.*/\1/')
  rows+=("$name,$params,$loss,$acc,\"$spec\",\"$*\"")
  rm -f "/tmp/compress-fits-$name.crnn"
}
run shared-lowrank --to shared-lowrank --budget 0.25
for fit in svd exact; do
  run "hybrid-r4-k26-$fit" --to hybrid --rank 26 --displacement-rank 4 --toeplitz-layers 1 --fit "$fit"
done
run hybrid-r4-k26-activations --to hybrid --rank 26 --displacement-rank 4 --toeplitz-layers 1 --fit activations --fit-iterations "$iterations"
for fit in svd exact; do
  run "hybrid-r8-k23-$fit" --to hybrid --rank 23 --displacement-rank 8 --toeplitz-layers 1 --fit "$fit"
done
run hybrid-r8-k23-activations --to hybrid --rank 23 --displacement-rank 8 --toeplitz-layers 1 --fit activations --fit-iterations "$iterations"
source_acc=$(grep 'dev (source)' "$here/logs/shared-lowrank.log" | sed 's/.*frame accuracy \([0-9.]*\)%.*/\1/')
{
  echo "name,params,dev_loss,dev_frame_acc,spec,options"
  echo "source-dense,,,$source_acc,,"
  printf '%s\n' "${rows[@]}"
} > "$here/results.csv"
cat "$here/results.csv"
