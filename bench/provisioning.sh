#!/usr/bin/env bash
# bench/provisioning.sh: runs bench/provisioning.mjs against a throwaway Postgres,
# Kubernetes control plane, RabbitMQ node and S3 server (started here, stopped on exit),
# or against the ones named by BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING
# and PAVED_TEST_KUBECONFIG / PAVED_TEST_PORTAL_KUBECONFIG, PAVED_TEST_RABBITMQ_* and
# PAVED_TEST_S3_* when they are set. Arguments go to the script.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"

if [ -z "${PAVED_TEST_KUBECONFIG:-}" ] || ! bench_postgres_named; then
  bench_postgres postgres
  bench_cluster cluster
fi
bench_rabbitmq rabbitmq
bench_s3 s3
node bench/provisioning.mjs "$@"
