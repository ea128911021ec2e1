#!/usr/bin/env bash
# bench/provisioning.sh: runs bench/provisioning.mjs against a throwaway Postgres,
# Kubernetes control plane, RabbitMQ node and S3 server (started here, stopped on exit),
# or against the ones named by BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING
# and PAVED_TEST_KUBECONFIG / PAVED_TEST_PORTAL_KUBECONFIG, PAVED_TEST_RABBITMQ_* and
# PAVED_TEST_S3_* when they are set. Arguments go to the script.
set -euo pipefail
PAVED_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$PAVED_ROOT"
export PAVED_ROOT
export PAVED_HOME=${PAVED_HOME:-$PAVED_ROOT/.paved}
# shellcheck source=../scripts/lib/bootstrap.sh
source scripts/lib/bootstrap.sh
# shellcheck source=../scripts/lib/ports.sh
source scripts/lib/ports.sh
# shellcheck source=../scripts/lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=../scripts/lib/rabbitmq.sh
source scripts/lib/rabbitmq.sh
# shellcheck source=../scripts/lib/s3.sh
source scripts/lib/s3.sh

RUN_DIR="$PAVED_HOME/bench-run"
# Only what this run started (each is a no-op when its folder does not exist).
cleanup() {
  scripts/test-cluster.sh down "$RUN_DIR/cluster" >/dev/null 2>&1 || true
  pg_purge "$RUN_DIR/postgres"
  rabbitmq_purge "$RUN_DIR/rabbitmq"
  s3_purge "$RUN_DIR/s3"
}
trap cleanup EXIT
if [ -z "${PAVED_TEST_KUBECONFIG:-}" ] || ! env | grep -q '^BACKSTAGE_TEST_DATABASE_POSTGRES[0-9]*_CONNECTION_STRING='; then
  ensure_postgres
  pg_up "$RUN_DIR/postgres" fast
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${PAVED_PG_MAJOR}_CONNECTION_STRING=${PAVED_PG_URL%/postgres}"
  cluster_env=$(scripts/test-cluster.sh up "$RUN_DIR/cluster" 2>/dev/null)
  eval "$cluster_env"
fi
if [ -z "${PAVED_TEST_RABBITMQ_MANAGEMENT_URL:-}" ]; then
  ensure_rabbitmq
  rabbitmq_up "$RUN_DIR/rabbitmq"
  # shellcheck disable=SC1091 # written by rabbitmq_up
  source "$RUN_DIR/rabbitmq/env"
fi
if [ -z "${PAVED_TEST_S3_ENDPOINT:-}" ]; then
  s3_up "$RUN_DIR/s3"
  # shellcheck disable=SC1091 # written by s3_up
  source "$RUN_DIR/s3/env"
fi
node bench/provisioning.mjs "$@"
