#!/usr/bin/env bash
# `make bench`: release build of the benchmarks, run against the local stack.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
bash deploy/local/stack.sh up
# shellcheck disable=SC1091
source .stack/env
swift build -c release --product erp-bench
swift build -c release --product erp-auth
"$(swift build -c release --show-bin-path)/erp-bench" "$@"
