#!/usr/bin/env bash
# `./paved test`: the whole test suite, with every real service it needs started here.
#
#   1. bootstrap (Node, Yarn, dependencies, mkdocs, Postgres, Chromium)
#   2. a private Postgres, a throwaway Kubernetes control plane, a RabbitMQ node and an
#      S3 server (versitygw) for this run; the last two start in the background
#   3. type check, lint, unit and integration tests (Jest, on Postgres and SQLite; the
#      alert-rule tests with promtool, built in the background from the start)
#   4. the portal started the way `./paved start` starts it, browser tests in Chromium,
#      and every backend's OpenAPI spec fuzzed against it (scripts/fuzz-apis.sh)
#
# Services started here are stopped on exit, also when a step fails or on Ctrl-C.
# Options: --skip-e2e (no browser tests), --only-e2e (browser tests only).
set -euo pipefail

PAVED_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$PAVED_ROOT"
export PAVED_ROOT
export PAVED_HOME=${PAVED_HOME:-$PAVED_ROOT/.paved}
# shellcheck source=lib/bootstrap.sh
source scripts/lib/bootstrap.sh
# shellcheck source=lib/ports.sh
source scripts/lib/ports.sh
# shellcheck source=lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=lib/rabbitmq.sh
source scripts/lib/rabbitmq.sh
# shellcheck source=lib/s3.sh
source scripts/lib/s3.sh

run_unit=yes run_e2e=yes
for arg in "$@"; do
  case "$arg" in
    --skip-e2e) run_e2e=no ;;
    --only-e2e) run_unit=no ;;
    *) die "unknown option '$arg' (use --skip-e2e or --only-e2e)" ;;
  esac
done

RUN_DIR="$PAVED_HOME/test-run"
REPORTS="$RUN_DIR/reports"
PORTAL_PID=""
# The background builds (name -> pid): promtool, helm and the backend bundle.
declare -A BUILD_PIDS=()
# The background starts of the RabbitMQ node and the S3 server (name -> pid).
declare -A SERVER_PIDS=()

# Stops whatever a run (this one, or an earlier one that crashed) left running in
# RUN_DIR. The cluster daemons run in their own sessions, so ending the portal's
# process group does not end them.
stop_run_services() {
  local dir
  for dir in "$RUN_DIR/cluster" "$RUN_DIR/portal-cluster"; do
    [ -d "$dir" ] && PAVED_CLUSTER_DIR=$dir scripts/cluster.sh stop --fast >/dev/null 2>&1
  done
  pg_purge "$RUN_DIR/postgres"
  rabbitmq_purge "$RUN_DIR/rabbitmq"
  s3_purge "$RUN_DIR/s3"
  # The portal's own servers (self-service resources), if the portal left them running.
  pg_purge "$RUN_DIR/portal-data/postgres"
  rabbitmq_purge "$RUN_DIR/portal-data/rabbitmq"
  s3_purge "$RUN_DIR/portal-data/s3"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # A build still running: each runs in its own process group (setsid), so that its go
  # build or yarn ends with it.
  local build
  for build in "${!BUILD_PIDS[@]}"; do
    kill -TERM -- "-${BUILD_PIDS[$build]}" 2>/dev/null || true
  done
  # A server still starting: end its start first, stop_run_services then ends the server.
  local name
  for name in "${!SERVER_PIDS[@]}"; do
    kill -TERM "${SERVER_PIDS[$name]}" 2>/dev/null || true
    wait "${SERVER_PIDS[$name]}" 2>/dev/null || true
  done
  if [ -n "$PORTAL_PID" ]; then
    # The portal runs in its own process group (setsid); end the whole group.
    kill -TERM -- "-$PORTAL_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 -- "-$PORTAL_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$PORTAL_PID" 2>/dev/null || true
  fi
  stop_run_services
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step() { say "[$((SECONDS / 60))m$((SECONDS % 60))s] $*"; }

# Runs one check; a failure is recorded and the next check still runs, so one run
# shows everything that is broken. The exit code is decided at the end.
FAILED_STEPS=()
check() {
  local name=$1
  shift
  step "$name"
  if ! "$@"; then
    FAILED_STEPS+=("$name")
    warn "$name failed"
  fi
}

# start_build NAME CMD...: runs CMD in the background, in a process group of its own, with
# its output in $PAVED_HOME/logs/NAME-build.log; wait_for_build waits for it.
start_build() {
  local name=$1
  shift
  mkdir -p "$PAVED_HOME/logs"
  setsid "$@" >"$PAVED_HOME/logs/$name-build.log" 2>&1 &
  BUILD_PIDS[$name]=$!
}

# wait_for_build NAME VAR: waits for NAME's build and exports VAR as the last line of its
# output (each build prints what it built last: a path) for the tests that need it.
wait_for_build() {
  local name=$1 var=$2 rc=0 t0=$SECONDS log="$PAVED_HOME/logs/$1-build.log"
  wait "${BUILD_PIDS[$name]}" || rc=$?
  unset "BUILD_PIDS[$name]"
  if [ "$rc" -ne 0 ]; then
    tail -n 30 "$log" >&2
    warn "$name did not build (log: $log); the tests that need it will fail"
    return 1
  fi
  export "$var=$(tail -n 1 "$log")"
  say "$name built (in the background; waited $((SECONDS - t0)) s for it here): ${!var}"
}

# start_server NAME UP DIR: runs `UP DIR` (rabbitmq_up, s3_up) in the background, with its
# output in DIR.log and how long it took in DIR.seconds; wait_for_server waits for it.
start_server() {
  local name=$1 up=$2 dir=$3
  (
    t0=$SECONDS
    "$up" "$dir"
    echo $((SECONDS - t0)) >"$dir.seconds"
  ) >"$dir.log" 2>&1 &
  SERVER_PIDS[$name]=$!
}

# wait_for_server NAME DIR: exports the PAVED_TEST_* variables of DIR/env for the tests.
wait_for_server() {
  local name=$1 dir=$2 rc=0 t0=$SECONDS
  wait "${SERVER_PIDS[$name]}" || rc=$?
  unset "SERVER_PIDS[$name]"
  if [ "$rc" -ne 0 ] || [ ! -f "$dir/env" ]; then
    tail -n 30 "$dir.log" >&2
    warn "$name did not start (log: $dir.log); the tests that need it will fail"
    return 1
  fi
  # shellcheck disable=SC1091 # written by rabbitmq_up / s3_up
  source "$dir/env"
  say "$name ready $(cat "$dir.seconds") s after its start (in the background; waited $((SECONDS - t0)) s for it here)"
}

if [ "$run_unit" = yes ]; then
  # Built from the start, in the background (first time ~1.5 and ~2 min): they overlap
  # the dependency install, the cluster's start and the type check; Jest waits for them.
  start_build promtool bash -c 'scripts/promtool.sh build && scripts/promtool.sh path'
  start_build helm scripts/helm.sh path
fi

step "Bootstrapping"
bootstrap_portal
if [ "$run_unit" = yes ]; then
  # The production bundle, as the Dockerfile builds it (first time several minutes, most
  # of it the frontend), for the tests that start Paved as it runs in production.
  start_build bundle scripts/backend-bundle.sh
fi
ensure_postgres
if [ "$run_unit" = yes ]; then
  # Here, not in the background start: apt-get installs one package set at a time.
  ensure_rabbitmq
  ensure_slapd
fi
if [ "$run_e2e" = yes ]; then
  ensure_chromium
  ensure_fuzzer
fi

# A fresh run folder: no state leaks from one run into the next.
stop_run_services
rm -rf "$RUN_DIR"
mkdir -p "$REPORTS"

if [ "$run_unit" = yes ]; then
  # In the background (about 6 s and 1 s; versitygw's first build about 1 min): they
  # overlap Postgres, the control plane and the type check; Jest waits for them.
  step "Starting a RabbitMQ node and an S3 server (versitygw) for the tests, in the background"
  start_server RabbitMQ rabbitmq_up "$RUN_DIR/rabbitmq"
  start_server "S3 server" s3_up "$RUN_DIR/s3"
fi

step "Starting a private Postgres for the tests"
pg_up "$RUN_DIR/postgres" fast
# Backstage's TestDatabases reads one variable per Postgres major version.
export "BACKSTAGE_TEST_DATABASE_POSTGRES${PAVED_PG_MAJOR}_CONNECTION_STRING=${PAVED_PG_URL%/postgres}"
# Tests fail (never skip) when Postgres is missing under ./paved test.
export PAVED_REQUIRE_POSTGRES=1

if [ "$run_unit" = yes ]; then
  step "Starting a throwaway Kubernetes control plane (first run builds it: about 7 minutes)"
  # An assignment, not eval "$(...)": a failed start must stop the run here.
  cluster_env=$(scripts/test-cluster.sh up "$RUN_DIR/cluster") ||
    die "the Kubernetes control plane did not start (logs: $RUN_DIR/cluster/logs)"
  eval "$cluster_env"

  check "Type check" yarn tsc
  check "Lint" yarn lint:all
  check "Formatting" yarn prettier:check
  # Sibling packages agree on pluginId/pluginPackages, as `backstage-cli repo fix --publish` writes them.
  check "Package metadata" yarn backstage-cli repo fix --publish --check
  # node:test files of the scripts (e.g. the config ./paved start generates); TAP for the summary.
  check "Script tests" node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$REPORTS/scripts.tap" scripts/*.test.mjs
  check "promtool build" wait_for_build promtool PAVED_PROMTOOL
  check "helm build" wait_for_build helm PAVED_HELM
  check "Backend bundle build" wait_for_build bundle PAVED_TEST_BACKEND_BUNDLE
  check "RabbitMQ start" wait_for_server RabbitMQ "$RUN_DIR/rabbitmq"
  check "S3 server start" wait_for_server "S3 server" "$RUN_DIR/s3"
  # Tests fail (never skip) when a server is missing under ./paved test.
  export PAVED_REQUIRE_RABBITMQ=1 PAVED_REQUIRE_S3=1
  check "Unit and integration tests" env CI=1 yarn test:all --json --outputFile="$REPORTS/jest.json"
fi

if [ "$run_e2e" = yes ]; then
  step "Starting the portal for the browser tests (as ./paved start does)"
  # Built first (a no-op when it is), so that the portal starts with its cluster rather
  # than building it alongside, as a first ./paved start does: the tests need it now.
  scripts/cluster.sh build || die "the Kubernetes control plane could not be built"
  # Its own data and cluster folders, so a developer's data is never touched.
  PAVED_DATA_DIR="$RUN_DIR/portal-data" PAVED_CLUSTER_DIR="$RUN_DIR/portal-cluster" \
    setsid ./paved start >"$RUN_DIR/portal.log" 2>&1 &
  PORTAL_PID=$!
  t0=$SECONDS
  until curl -sf http://localhost:7007/.backstage/health/v1/readiness >/dev/null 2>&1 &&
    curl -sf http://localhost:3000/ >/dev/null 2>&1; do
    if ! kill -0 "$PORTAL_PID" 2>/dev/null; then
      tail -n 40 "$RUN_DIR/portal.log" >&2
      die "the portal stopped before it was ready (log: $RUN_DIR/portal.log)"
    fi
    [ $((SECONDS - t0)) -gt 900 ] && die "the portal was not ready after 900 s (log: $RUN_DIR/portal.log)"
    sleep 2
  done
  step "Portal ready after $((SECONDS - t0)) s; running browser tests in $PAVED_CHROMIUM"
  # Tests that check what the portal did in its cluster read it as an admin.
  PAVED_E2E_KUBECONFIG=$(PAVED_CLUSTER_DIR="$RUN_DIR/portal-cluster" scripts/cluster.sh kubeconfig) ||
    die "no kubeconfig for the portal's cluster (log: $RUN_DIR/portal.log)"
  check "Browser tests" env PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/playwright.json" \
    PAVED_E2E_KUBECONFIG="$PAVED_E2E_KUBECONFIG" PAVED_E2E_PORTAL_LOG="$RUN_DIR/portal.log" yarn test:e2e
  # While the portal is still up: no 5xx and no status the specs do not document.
  check "API fuzzing" scripts/fuzz-apis.sh "$REPORTS"
fi

node scripts/summarize-tests.js "$REPORTS"
if [ ${#FAILED_STEPS[@]} -gt 0 ]; then
  die "failed: ${FAILED_STEPS[*]} (after $((SECONDS / 60))m$((SECONDS % 60))s)"
fi
step "All checks passed"
