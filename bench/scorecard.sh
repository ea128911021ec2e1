#!/usr/bin/env bash
# bench/scorecard.sh: runs bench/scorecard.mjs against a throwaway Postgres (started
# here, purged on exit), or against the one named by
# BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING when set. Arguments go to
# the script.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"

bench_postgres_named || bench_postgres scorecard-postgres
node bench/scorecard.mjs "$@"
