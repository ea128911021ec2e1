#!/usr/bin/env bash
# bench/first-start.sh [CHECKOUT]: runs `./paved start` in CHECKOUT (default: this
# repository) and prints the seconds from the command to
#   (a) the backend's readiness (GET /.backstage/health/v1/readiness answers 200),
#   (b) the catalog page rendered in headless Chromium, after the guest sign-in,
#   (c) the local Kubernetes cluster ready (its status file says `ready`),
# then stops the portal (and what it started) and prints the start's own milestones.
#
# Meant for a fresh clone: `git clone <repo> /tmp/c && /tmp/c/bench/first-start.sh`.
# PAVED_* variables pass through (PAVED_DATA_DIR, PAVED_CLUSTER_DIR, PAVED_KUBE_BIN_DIR,
# PAVED_HOME, ...); BENCH_TIMEOUT (seconds, default 2400) bounds the whole run.
# Chromium: PAVED_CHROMIUM, else /usr/bin/chromium, as the browser tests use.
set -euo pipefail
set +m # the portal's own session (setsid below) is then its process group

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHECKOUT=$(cd "${1:-$HERE}" && pwd)
TIMEOUT=${BENCH_TIMEOUT:-2400}
# shellcheck source=scripts/lib/ports.sh
source "$HERE/scripts/lib/ports.sh"

die() {
  printf 'first-start: %s\n' "$*" >&2
  exit 1
}
for port in 3000 7007; do
  port_in_use "$port" && die "port $port is in use: stop what runs there first"
done
[ -x "$CHECKOUT/paved" ] || die "$CHECKOUT has no ./paved"
[ -x "${PAVED_CHROMIUM:-/usr/bin/chromium}" ] ||
  die "no Chromium at ${PAVED_CHROMIUM:-/usr/bin/chromium} (Debian: apt-get install chromium; ./paved test installs it)"

data=${PAVED_DATA_DIR:-${PAVED_HOME:-$CHECKOUT/.paved}/data}
case $data in /*) ;; *) data=$CHECKOUT/$data ;; esac
status_file=$data/local-cluster.json
rm -f "$status_file" # an earlier run's `ready` must not count
LOG=$(mktemp "${TMPDIR:-/tmp}/first-start.XXXXXX")
BROWSER_LOG=$LOG.browser

# Every line of the start's output, with the second it came at.
stamp() {
  local line
  while IFS= read -r line; do printf '%5ds %s\n' $((SECONDS - START)) "$line"; done
}

START=$SECONDS
START_MS=$(date +%s%3N)
(cd "$CHECKOUT" && exec setsid ./paved start) > >(stamp >"$LOG") 2>&1 &
PORTAL=$!
BROWSER=""

stop_portal() {
  trap - EXIT INT TERM
  [ -n "$BROWSER" ] && kill "$BROWSER" 2>/dev/null
  if kill -0 "$PORTAL" 2>/dev/null; then
    # ./paved start stops its backend, frontend, Postgres and cluster on TERM.
    kill -TERM -- "-$PORTAL" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$PORTAL" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$PORTAL" 2>/dev/null || true
  fi
}
trap stop_portal EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The browser part: node with Playwright from the checkout (installed by the start).
browse() {
  cd "$CHECKOUT" && ./paved yarn node "$HERE/bench/first-start-browser.mjs" "$CHECKOUT" \
    http://localhost:3000 >"$BROWSER_LOG" 2>&1
}

backend="" catalog="" cluster="" cluster_note=""
while :; do
  elapsed=$((SECONDS - START))
  kill -0 "$PORTAL" 2>/dev/null || {
    tail -n 30 "$LOG" >&2
    die "./paved start ended after ${elapsed}s (log: $LOG)"
  }
  [ "$elapsed" -gt "$TIMEOUT" ] && die "not done after ${TIMEOUT}s (log: $LOG)"

  if [ -z "$backend" ] &&
    curl -sf -o /dev/null http://localhost:7007/.backstage/health/v1/readiness; then
    backend=$elapsed
  fi
  if [ -z "$cluster" ] && [ -n "$backend" ] && [ ! -f "$status_file" ]; then
    # Written before the portal starts whenever there is a local cluster to wait for.
    cluster=$elapsed cluster_note=" (no local cluster: PAVED_CLUSTER=off or clusters of your own)"
  elif [ -z "$cluster" ] && [ -f "$status_file" ]; then
    case $(cat "$status_file") in
      *'"state":"ready"'*) cluster=$elapsed ;;
      *'"state":"failed"'*) cluster=$elapsed cluster_note=" (failed: $(sed -n 's/.*"message":"\([^"]*\)".*/\1/p' "$status_file"))" ;;
    esac
  fi
  if [ -z "$catalog" ]; then
    if [ -z "$BROWSER" ] && [ -n "$backend" ] &&
      curl -s -o /dev/null --max-time 5 http://localhost:3000/; then
      browse &
      BROWSER=$!
    elif [ -n "$BROWSER" ] && ! kill -0 "$BROWSER" 2>/dev/null; then
      if wait "$BROWSER"; then
        # When the page showed the catalog, not when the browser had closed.
        rendered=$(sed -n 's/^rendered-at=//p' "$BROWSER_LOG")
        catalog=$(((rendered - START_MS + 500) / 1000))
      else
        # The frontend was still compiling, or the catalog not yet read: try again.
        tail -n 3 "$BROWSER_LOG" | sed 's/^/  browser: /' >&2
      fi
      BROWSER=""
    fi
  fi
  [ -n "$backend" ] && [ -n "$catalog" ] && [ -n "$cluster" ] && break
  sleep 1
done

printf '\n./paved start in %s (%s, %s cores):\n' "$CHECKOUT" "$(date -u +%FT%TZ)" "$(nproc 2>/dev/null || echo '?')"
printf '  (a) backend ready            %5d s\n' "$backend"
printf '  (b) catalog in Chromium      %5d s\n' "$catalog"
printf '  (c) local cluster ready      %5d s%s\n' "$cluster" "$cluster_note"
printf '\nMilestones of ./paved start (seconds since it began):\n'
grep -E 'Installing|installed in|Building the local|Starting the portal|\[cluster\] (build done|  \[[0-9]/[0-9]\] [a-z-]+ built)|cluster ready in|Restarting the backend|Backend restarted|(warning|error): ' "$LOG" |
  sed 's/\x1b\[[0-9;]*m//g' | sed 's/^/  /' || true
printf '\nFull output: %s\n' "$LOG"
