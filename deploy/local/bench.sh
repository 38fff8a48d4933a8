#!/usr/bin/env bash
# `make bench`: release build of the benchmarks, run against the local stack.
# `bash deploy/local/bench.sh gateway` runs one benchmark (names as for erp-bench).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
bash deploy/local/stack.sh up
# shellcheck disable=SC1091
source .stack/env
# The gateway benchmark drives wrk against nginx (the reference proxy) and erp-gateway.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null || ! [ -x /usr/sbin/nginx ]; then
  echo "[bench] installing wrk nginx-light" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null
fi
swift build -c release --product erp-bench
swift build -c release --product erp-auth
swift build -c release --product erp-gateway
swift build -c release --product erp-subscription
swift build -c release --product erp-notification
swift build -c release --product erp-crm
swift build -c release --product erp-test-upstream
"$(swift build -c release --show-bin-path)/erp-bench" "$@"
