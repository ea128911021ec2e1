#!/usr/bin/env bash
# bench/deployments.sh: runs bench/deployments.mjs against a throwaway Postgres,
# Kubernetes control plane and RabbitMQ node (started here, stopped on exit), or
# against the ones named by BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING,
# PAVED_TEST_KUBECONFIG / PAVED_TEST_PORTAL_KUBECONFIG and PAVED_TEST_RABBITMQ_* when
# they are set. Arguments go to the script.
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

# Folders of their own: this and bench/provisioning.sh may run side by side.
RUN_DIR="$PAVED_HOME/bench-run"
# Only what this run started (each is a no-op when its folder does not exist).
cleanup() {
  scripts/test-cluster.sh down "$RUN_DIR/deployments-cluster" >/dev/null 2>&1 || true
  pg_purge "$RUN_DIR/deployments-postgres"
  rabbitmq_purge "$RUN_DIR/deployments-rabbitmq"
}
trap cleanup EXIT
if [ -z "${PAVED_TEST_KUBECONFIG:-}" ] || ! env | grep -q '^BACKSTAGE_TEST_DATABASE_POSTGRES[0-9]*_CONNECTION_STRING='; then
  ensure_postgres
  pg_up "$RUN_DIR/deployments-postgres" fast
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${PAVED_PG_MAJOR}_CONNECTION_STRING=${PAVED_PG_URL%/postgres}"
  cluster_env=$(scripts/test-cluster.sh up "$RUN_DIR/deployments-cluster" 2>/dev/null)
  eval "$cluster_env"
fi
if [ -z "${PAVED_TEST_RABBITMQ_MANAGEMENT_URL:-}" ]; then
  ensure_rabbitmq
  rabbitmq_up "$RUN_DIR/deployments-rabbitmq"
  # shellcheck disable=SC1091 # written by rabbitmq_up
  source "$RUN_DIR/deployments-rabbitmq/env"
fi
node bench/deployments.mjs "$@"
