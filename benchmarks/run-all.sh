#!/usr/bin/env bash
# Runs every BenchmarkDotNet suite (short job: 3 warm-ups, 3 iterations; medians reported) and the quick
# peer CSV, then assembles docs/benchmarks.md from BenchmarkDotNet's GitHub-flavoured reports.
# Usage: benchmarks/run-all.sh   (from the repository root, on a machine with nothing else running)
set -euo pipefail
cd "$(dirname "$0")/.."
out=BenchmarkDotNet.Artifacts/results
rm -rf BenchmarkDotNet.Artifacts
dotnet build benchmarks/CompactRnn.Benchmarks -c Release
dotnet build benchmarks/CompactRnn.Benchmarks.TorchSharp -c Release   # the training peer (outside the solution; see its README)
run() { dotnet run -c Release --no-build --project benchmarks/CompactRnn.Benchmarks -- --job short --exporters github "$@"; }
run --filter '*GateMatrixBenchmarks*'
run --filter '*FftBenchmarks*'
run --filter '*GemmBenchmarks*'
run --filter '*LstmBenchmarks*'
run --filter '*StreamingStepBenchmarks*' '*SequenceInferenceBenchmarks*' '*TrainingStepBenchmarks*'
dotnet run -c Release --no-build --project benchmarks/CompactRnn.Benchmarks -- bench --quick > "$out/quick.csv"
{
  echo "# CompactRnn benchmarks"
  echo
  echo "Made by \`benchmarks/run-all.sh\` on $(date -u +%Y-%m-%d) at commit \`$(git rev-parse --short HEAD)\`;"
  echo "$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), .NET $(dotnet --version)."
  echo
  echo "## Peer comparison (\`bench --quick\`: medians of 5 alternating samples per side, every peer measured in this run)"
  echo
  echo '```'
  cat "$out/quick.csv"
  echo '```'
  for report in "$out"/*-report-github.md; do
    echo
    echo "## $(basename "$report" -report-github.md | sed 's/^CompactRnn\.Benchmarks\.//')"
    echo
    cat "$report"
  done
} > docs/benchmarks-raw.md
echo "wrote docs/benchmarks-raw.md"
