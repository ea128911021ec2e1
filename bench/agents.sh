#!/usr/bin/env bash
# bench/agents.sh: runs bench/agents.mjs (MCP vs REST, for AI agents) against a
# throwaway Postgres (started here, purged on exit), or against the one named by
# BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING when set. The backend bundle
# is PAVED_TEST_BACKEND_BUNDLE's, else scripts/backend-bundle.sh's (built once per state
# of the sources). Arguments go to the script.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"

bench_postgres_named || bench_postgres agents-postgres
node bench/agents.mjs "$@"
