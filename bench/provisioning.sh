#!/usr/bin/env bash
# bench/provisioning.sh: runs bench/provisioning.mjs against a throwaway Postgres and
# Kubernetes control plane (started here, stopped on exit), or against the ones named by
# BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING and PAVED_TEST_KUBECONFIG /
# PAVED_TEST_PORTAL_KUBECONFIG when they are set. Arguments go to the script.
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

RUN_DIR="$PAVED_HOME/bench-run"
if [ -z "${PAVED_TEST_KUBECONFIG:-}" ] || ! env | grep -q '^BACKSTAGE_TEST_DATABASE_POSTGRES[0-9]*_CONNECTION_STRING='; then
  cleanup() {
    scripts/test-cluster.sh down "$RUN_DIR/cluster" >/dev/null 2>&1 || true
    pg_purge "$RUN_DIR/postgres"
  }
  trap cleanup EXIT
  ensure_postgres
  pg_up "$RUN_DIR/postgres" fast
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${PAVED_PG_MAJOR}_CONNECTION_STRING=${PAVED_PG_URL%/postgres}"
  cluster_env=$(scripts/test-cluster.sh up "$RUN_DIR/cluster" 2>/dev/null)
  eval "$cluster_env"
fi
node bench/provisioning.mjs "$@"
