#!/usr/bin/env bash
# bench/environments.sh: runs bench/environments.mjs against a throwaway Kubernetes
# control plane (started here, stopped on exit), or against the one named by
# PAVED_TEST_KUBECONFIG / PAVED_TEST_PORTAL_KUBECONFIG when they are set. Arguments go
# to the script.
set -euo pipefail
PAVED_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$PAVED_ROOT"
export PAVED_HOME=${PAVED_HOME:-$PAVED_ROOT/.paved}

RUN_DIR="$PAVED_HOME/bench-run"
if [ -z "${PAVED_TEST_KUBECONFIG:-}" ]; then
  trap 'scripts/test-cluster.sh down "$RUN_DIR/environments-cluster" >/dev/null 2>&1 || true' EXIT
  cluster_env=$(scripts/test-cluster.sh up "$RUN_DIR/environments-cluster" 2>/dev/null)
  eval "$cluster_env"
fi
node bench/environments.mjs "$@"
