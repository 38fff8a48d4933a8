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
swift test --skip-build "$@"
