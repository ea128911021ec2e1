#!/usr/bin/env bash
# bench/environments.sh: runs bench/environments.mjs against a throwaway Kubernetes
# control plane (started here, stopped on exit), or against the one named by
# PAVED_TEST_KUBECONFIG / PAVED_TEST_PORTAL_KUBECONFIG when they are set. Arguments go
# to the script.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"

[ -n "${PAVED_TEST_KUBECONFIG:-}" ] || bench_cluster environments-cluster
node bench/environments.mjs "$@"
