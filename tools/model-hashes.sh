#!/usr/bin/env bash
# Behaviour check for refactors: builds the CLI, trains tiny models of every gate-matrix kind for one short epoch
# on data/digits-default.crds with a fixed seed, compresses and fine-tunes one, and prints the sha256 of every
# saved model. Run it before and after a change that must not move numbers; the two outputs must be identical.
# Usage: tools/model-hashes.sh [output-dir]   (from the repository root; about a minute on a loaded machine)
set -euo pipefail
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
bin="$out/cli"
nice -n 5 dotnet build src/CompactRnn.Cli -c Release -o "$bin" > "$out/build.log" 2>&1 || { tail -20 "$out/build.log"; exit 1; }
cli="$bin/CompactRnn.Cli"
run() { # name, then train arguments
  local name="$1"; shift
  nice -n 5 "$cli" train --epochs 1 --seed 7 --out "$out/$name.crnn" "$@" > "$out/$name.log" 2>&1 \
    || { tail -5 "$out/$name.log"; echo "FAILED $name"; exit 1; }
}
run dense --spec 'dense x2' --projection 8 --hidden 16
run dense-noproj --spec 'dense x2' --projection 0 --batch 8 --hidden 16
run lowrank --spec 'lowrank:k=4 x2' --projection 8 --hidden 16
run lowrank-pergate --spec 'lowrank-pergate:k=2 x2' --projection 8 --hidden 16
run shared-lowrank --spec 'shared-lowrank:k=6 x2' --projection 8 --hidden 16
run toeplitz --spec 'toeplitz:r=2 x2' --projection 8 --hidden 16
run toeplitz-b64 --spec 'toeplitz:r=3 x2' --batch 64 --hidden 24 --projection 8
run toeplitz-stacked --spec 'toeplitz-stacked:r=2 x2' --batch 64 --projection 8 --hidden 16
run toeplitz-chunk --spec 'toeplitz:r=2 x2' --chunk 20 --batch 32 --projection 8 --hidden 16
run hybrid --spec 'toeplitz:r=2 x1 | shared-lowrank:k=6 x1' --projection 8 --hidden 16
run hybrid-threads --spec 'toeplitz:r=2 x1 | shared-lowrank:k=6 x1' --threads 2 --batch 32 --projection 8 --hidden 16
nice -n 5 "$cli" compress --model "$out/dense.crnn" --out "$out/dense-to-hybrid.crnn" --to hybrid --rank 4 --displacement-rank 2 \
  --fine-tune-epochs 1 > "$out/compress.log" 2>&1 || { tail -5 "$out/compress.log"; echo "FAILED compress"; exit 1; }
(cd "$out" && sha256sum ./*.crnn)
