#!/usr/bin/env bash
# `make run` / `make stop`: the local stack plus every service executable the package defines,
# each with its own database role, port and log file under .stack/services/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
STACK=${ERP_STACK_DIR:-$ROOT/.stack}
RUN_DIR="$STACK/services"

# executable:port:database (database "-" = the service keeps nothing durable)
SERVICES="erp-auth:8081:auth erp-subscription:8082:subscription erp-crm:8083:crm erp-hrm:8084:hrm
erp-finance:8085:finance erp-inventory:8086:inventory erp-project:8087:project
erp-notification:8088:notification erp-file:8089:file erp-ai:8090:ai erp-gateway:8080:-"

log() { printf '[run] %s\n' "$*" >&2; }

alive() {
    local pid=$1
    [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
    local state
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
    [ "$state" != Z ] && [ "$state" != X ]
}

defined() { grep -q "name: \"$1\"" Package.swift; }

# The gateway's routes: every defined service at its local port (docs/gateway.md).
gateway_upstreams() {
    local list=() entry service port
    for entry in $SERVICES; do
        IFS=: read -r service port _ <<<"$entry"
        [ "$service" = erp-gateway ] && continue
        defined "$service" && list+=("${service#erp-}=http://127.0.0.1:$port")
    done
    (IFS=,; echo "${list[*]}")
}

start() {
    bash deploy/local/stack.sh up
    # shellcheck disable=SC1091
    source "$STACK/env"
    mkdir -p "$RUN_DIR"
    local products=()
    for entry in $SERVICES; do
        defined "${entry%%:*}" && products+=("${entry%%:*}")
    done
    if [ ${#products[@]} -eq 0 ]; then
        log "no service executables are defined yet; the stack is up (see README, Status)"
        bash deploy/local/stack.sh status
        return
    fi
    swift build $(printf -- '--product %s ' "${products[@]}") >&2
    local bin
    bin=$(swift build --show-bin-path)
    local pg_port=${ERP_PG_PORT:-15432}
    # Dev-only secrets, generated once and kept (git-ignored) so restarts can open what was
    # sealed with them. Production injects its own from a secret store.
    mkdir -p "$STACK/secrets" && chmod 700 "$STACK/secrets"
    [ -s "$STACK/secrets/auth-kek" ] || (umask 077 && head -c 32 /dev/urandom | base64 >"$STACK/secrets/auth-kek")
    [ -s "$STACK/secrets/notification-key" ] || (umask 077 && head -c 32 /dev/urandom | base64 >"$STACK/secrets/notification-key")
    [ -s "$STACK/secrets/payment-webhook" ] || (umask 077 && echo "whsec_$(head -c 24 /dev/urandom | base64 | tr -d '=+/')" >"$STACK/secrets/payment-webhook")
    # One platform client secret per service (svc_<service> at auth, for calls on its own behalf).
    local platform_clients=""
    for entry in $SERVICES; do
        IFS=: read -r name _ _ <<<"$entry"
        local short=${name#erp-}
        [ "$short" = auth ] && continue
        [ -s "$STACK/secrets/platform-$short" ] || (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '=+/' >"$STACK/secrets/platform-$short")
        platform_clients+="${platform_clients:+,}$short=$(cat "$STACK/secrets/platform-$short")"
    done
    for entry in $SERVICES; do
        IFS=: read -r name port database <<<"$entry"
        defined "$name" || continue
        local pidfile="$RUN_DIR/$name.pid"
        if alive "$(cat "$pidfile" 2>/dev/null || true)"; then log "$name already running"; continue; fi
        local env=(HTTP_PORT="$port" LOG_FORMAT=json AUTH_JWKS_URL="http://127.0.0.1:8081/.well-known/jwks.json")
        if [ "$name" = erp-auth ]; then
            env+=(AUTH_KEY_ENCRYPTION_KEY="$(cat "$STACK/secrets/auth-kek")" AUTH_APP_URL="http://127.0.0.1:8080"
                AUTH_PLATFORM_CLIENTS="$platform_clients")
        else
            env+=(AUTH_URL="http://127.0.0.1:8081" PLATFORM_CLIENT_SECRET="$(cat "$STACK/secrets/platform-${name#erp-}")")
        fi
        [ "$name" = erp-gateway ] && env+=(GATEWAY_UPSTREAMS="$(gateway_upstreams)")
        # Plans and limits come from erp-subscription once it exists (auth's user limit, the
        # gateway's per-organization allowance, feature checks in every service).
        if defined erp-subscription && [ "$name" != erp-subscription ]; then env+=(SUBSCRIPTION_URL="http://127.0.0.1:8082"); fi
        if [ "$name" = erp-subscription ]; then
            # No payment provider in development: invoices that need a charge go into dunning.
            # Set PAYMENT_PROVIDER_URL/PAYMENT_PROVIDER_SECRET_KEY (e.g. Stripe test mode) to charge.
            env+=(PAYMENT_WEBHOOK_SECRET="$(cat "$STACK/secrets/payment-webhook")")
            if [ -n "${PAYMENT_PROVIDER_URL:-}" ]; then
                env+=(PAYMENT_PROVIDER_URL="$PAYMENT_PROVIDER_URL" PAYMENT_PROVIDER_SECRET_KEY="${PAYMENT_PROVIDER_SECRET_KEY:-}")
            fi
        fi
        if [ "$name" = erp-notification ]; then
            # Webhook signing secrets are sealed with this key. Private webhook targets are allowed
            # here only: a developer's receiver listens on localhost (never in production).
            env+=(NOTIFICATION_SECRET_KEY="$(cat "$STACK/secrets/notification-key")" NOTIFICATION_WEBHOOK_ALLOW_PRIVATE=true)
        fi
        if [ "$database" != - ]; then
            env+=(POSTGRES_URL="postgres://erp_${database}_app@127.0.0.1:$pg_port/erp_$database"
                POSTGRES_MIGRATION_URL="postgres://erp_${database}_owner@127.0.0.1:$pg_port/erp_$database")
        fi
        env "${env[@]}" nohup "$bin/$name" >"$RUN_DIR/$name.log" 2>&1 </dev/null &
        echo $! >"$pidfile"
        log "$name on 127.0.0.1:$port (log $RUN_DIR/$name.log)"
    done
    log "gateway: http://127.0.0.1:8080"
}

stop() {
    [ -d "$RUN_DIR" ] || return 0
    for pidfile in "$RUN_DIR"/*.pid; do
        [ -e "$pidfile" ] || continue
        local pid
        pid=$(cat "$pidfile")
        if alive "$pid"; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
            alive "$pid" && kill -9 "$pid" 2>/dev/null || true
            log "stopped $(basename "$pidfile" .pid)"
        fi
        rm -f "$pidfile"
    done
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
