#!/usr/bin/env bash
# bench/scorecard.sh: runs bench/scorecard.mjs against a throwaway Postgres (started
# here, purged on exit), or against the one named by
# BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING when set. Arguments go to
# the script.
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
if ! env | grep -q '^BACKSTAGE_TEST_DATABASE_POSTGRES[0-9]*_CONNECTION_STRING='; then
  trap 'pg_purge "$RUN_DIR/scorecard-postgres"' EXIT
  ensure_postgres
  pg_up "$RUN_DIR/scorecard-postgres" fast
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${PAVED_PG_MAJOR}_CONNECTION_STRING=${PAVED_PG_URL%/postgres}"
fi
node bench/scorecard.mjs "$@"
