#!/usr/bin/env bash
# Seeds the sample workloads into the local cluster (called by ./paved start).
# Uses the admin kubeconfig: seeding creates namespaces, which the portal's own,
# narrower identity may not need to do for other teams.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
kubeconfig=${1:-$(scripts/cluster.sh kubeconfig)}
exec node scripts/seed-cluster.mjs "$kubeconfig" examples/kubernetes
