#!/usr/bin/env bash
# `make test`: bring up the local stack, build, and run every test against the real servers.
# The stack is stopped afterwards unless KEEP_STACK=1 (handy while iterating).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

bash deploy/local/stack.sh up
if [ "${KEEP_STACK:-0}" != 1 ]; then
    trap 'bash deploy/local/stack.sh down' EXIT
fi
# shellcheck disable=SC1091
source .stack/env

swift build --build-tests
if [ $# -gt 0 ]; then
    swift test --skip-build "$@"
else
    # The gateway suites spawn gateways and upstreams and push 100 MB bodies through them; run
    # after the rest so their load does not squeeze the other suites' timeouts (and vice versa).
    swift test --skip-build --skip GatewayTests
    swift test --skip-build --filter GatewayTests
fi
