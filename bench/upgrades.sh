#!/usr/bin/env bash
# bench/upgrades.sh: runs bench/upgrades.mjs against a throwaway Postgres (started here,
# stopped on exit), or against the one named by
# BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING when it is set. No cluster:
# the local change target is bare git repositories in a temporary folder. Arguments go
# to the script.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"

bench_postgres_named || bench_postgres upgrades-postgres
node bench/upgrades.mjs "$@"
