#!/usr/bin/env bash
# Prints the scale figures recorded in docs/benchmarks.md. Arguments: [inspections=1400] [findings in the big one=1000], `intake` for the Excel intake alone, `import` for the whole Excel import (preview and commit), or `roundtrip` for export → import of a 10,000-measure ledger, or `export [rows=120000]` for the streamed ledger export over HTTP next to a raw reader → SpreadCheetah baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Rectify.Bench -- "$@"
