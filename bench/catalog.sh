#!/usr/bin/env bash
# bench/catalog.sh: runs bench/catalog.mjs (Paved's backend against a stock Backstage
# backend, 10,000 components) against a throwaway Postgres (started here, stopped on
# exit), or against the one named by BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING
# when it is set. Arguments go to the script.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"

bench_postgres_named || bench_postgres catalog-postgres
node bench/catalog.mjs "$@"
