#!/usr/bin/env bash
# Prints the scale figures recorded in docs/benchmarks.md. Arguments: [inspections=1400] [findings in the big one=1000], or `intake` for the Excel intake alone.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Rectify.Bench -- "$@"
