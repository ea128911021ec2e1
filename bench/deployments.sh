#!/usr/bin/env bash
# bench/deployments.sh: runs bench/deployments.mjs against a throwaway Postgres,
# Kubernetes control plane and RabbitMQ node (started here, stopped on exit), or
# against the ones named by BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING,
# PAVED_TEST_KUBECONFIG / PAVED_TEST_PORTAL_KUBECONFIG and PAVED_TEST_RABBITMQ_* when
# they are set. Arguments go to the script.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"

# Folders of their own: this and bench/provisioning.sh may run side by side.
if [ -z "${PAVED_TEST_KUBECONFIG:-}" ] || ! bench_postgres_named; then
  bench_postgres deployments-postgres
  bench_cluster deployments-cluster
fi
bench_rabbitmq deployments-rabbitmq
node bench/deployments.mjs "$@"
