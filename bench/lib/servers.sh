# shellcheck shell=bash source-path=SCRIPTDIR/../..
# bench/lib/servers.sh: the servers a bench runs against. Sourced (not run) by
# bench/*.sh after `set -euo pipefail`: it goes to the repository's root, sets
# PAVED_ROOT, PAVED_HOME and RUN_DIR, and gives the functions below, each of which
# starts a throwaway server in the folder NAME under $RUN_DIR. What they started is
# stopped and deleted on exit, and only that.

PAVED_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$PAVED_ROOT" || exit 1
export PAVED_ROOT
export PAVED_HOME=${PAVED_HOME:-$PAVED_ROOT/.paved}
source scripts/lib/bootstrap.sh
source scripts/lib/ports.sh
source scripts/lib/postgres.sh
source scripts/lib/rabbitmq.sh
source scripts/lib/s3.sh

RUN_DIR="$PAVED_HOME/bench-run"

# Commands (quoted) to run on exit, the last registered first.
bench_on_exit_commands=()
bench_on_exit() { bench_on_exit_commands+=("$(printf '%q ' "$@")"); }
bench_exit() {
  local i
  for ((i = ${#bench_on_exit_commands[@]} - 1; i >= 0; i--)); do
    eval "${bench_on_exit_commands[i]}"
  done
}
trap bench_exit EXIT

# Whether BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING names a Postgres.
bench_postgres_named() { env | grep -q '^BACKSTAGE_TEST_DATABASE_POSTGRES[0-9]*_CONNECTION_STRING='; }

# bench_postgres NAME: a Postgres, exported as BACKSTAGE_TEST_DATABASE_POSTGRES<major>_...
bench_postgres() {
  bench_on_exit pg_purge "$RUN_DIR/$1"
  ensure_postgres
  pg_up "$RUN_DIR/$1" fast
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${PAVED_PG_MAJOR}_CONNECTION_STRING=${PAVED_PG_URL%/postgres}"
}

bench_cluster_down() { scripts/test-cluster.sh down "$1" >/dev/null 2>&1 || true; }
# bench_cluster NAME: a Kubernetes control plane, exported as PAVED_TEST_KUBECONFIG and
# PAVED_TEST_PORTAL_KUBECONFIG.
bench_cluster() {
  local cluster_env
  bench_on_exit bench_cluster_down "$RUN_DIR/$1"
  cluster_env=$(scripts/test-cluster.sh up "$RUN_DIR/$1" 2>/dev/null)
  eval "$cluster_env"
}

# bench_rabbitmq NAME: a RabbitMQ node, exported as PAVED_TEST_RABBITMQ_*, unless
# PAVED_TEST_RABBITMQ_MANAGEMENT_URL names one.
bench_rabbitmq() {
  [ -z "${PAVED_TEST_RABBITMQ_MANAGEMENT_URL:-}" ] || return 0
  bench_on_exit rabbitmq_purge "$RUN_DIR/$1"
  ensure_rabbitmq
  rabbitmq_up "$RUN_DIR/$1"
  # shellcheck disable=SC1090 # written by rabbitmq_up
  source "$RUN_DIR/$1/env"
}

# bench_s3 NAME: an S3 server, exported as PAVED_TEST_S3_*, unless PAVED_TEST_S3_ENDPOINT
# names one.
bench_s3() {
  [ -z "${PAVED_TEST_S3_ENDPOINT:-}" ] || return 0
  bench_on_exit s3_purge "$RUN_DIR/$1"
  s3_up "$RUN_DIR/$1"
  # shellcheck disable=SC1090 # written by s3_up
  source "$RUN_DIR/$1/env"
}
