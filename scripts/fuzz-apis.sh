#!/usr/bin/env bash
# Fuzzes every backend's OpenAPI spec (plugins/*/src/schema/openapi.yaml) against a
# running portal with schemathesis, as the guest user: any 5xx, any status the spec
# does not list and any response body that does not match the spec fails the run.
# Settings (seed, cases per operation, checks) are in scripts/fuzz-apis.toml.
#
#   scripts/fuzz-apis.sh [REPORT_DIR]    JUnit reports: REPORT_DIR/fuzz-<pluginId>.xml
#
# The backend is PAVED_BACKEND_URL (default http://localhost:7007); each spec is served
# under /api/<pluginId>, the backstage.pluginId of the package that holds it.
set -euo pipefail

PAVED_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$PAVED_ROOT"
export PAVED_ROOT
export PAVED_HOME=${PAVED_HOME:-$PAVED_ROOT/.paved}
# shellcheck source=lib/bootstrap.sh
source scripts/lib/bootstrap.sh
ensure_node
ensure_fuzzer

backend=${PAVED_BACKEND_URL:-http://localhost:7007}
reports=$(mkdir -p "${1:-$PAVED_HOME/fuzz-reports}" && cd "${1:-$PAVED_HOME/fuzz-reports}" && pwd)
# Hypothesis' cache of this run; nothing of an earlier run may steer this one.
work="$PAVED_HOME/fuzz"
rm -rf "$work"
mkdir -p "$work"

# The portal signs people in as guest; the provider's refresh endpoint hands out the
# user's Backstage token (Backstage's auth endpoints want the X-Requested-With header
# as a guard against cross-site requests).
identity=$(curl -sf -H 'X-Requested-With: XMLHttpRequest' "$backend/api/auth/guest/refresh") ||
  die "no guest sign-in at $backend/api/auth/guest/refresh: is the portal running?"
PAVED_FUZZ_TOKEN=$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).backstageIdentity.token)' "$identity")
export PAVED_FUZZ_TOKEN

# One call to the API as the guest user; prints the answer (the token goes in on
# stdin, not on the command line).
api() {
  printf 'Authorization: Bearer %s\n' "$PAVED_FUZZ_TOKEN" |
    curl -s --fail-with-body -X "$1" -H @- -H 'Content-Type: application/json' ${3:+--data "$3"} "$backend/api$2"
}

# Waits until the backend answers (it restarts once when the local cluster joins).
wait_for_backend() {
  for _ in $(seq 1 60); do
    curl -sf "$backend/.backstage/health/v1/readiness" >/dev/null && return
    sleep 2
  done
  die "the backend at $backend is not ready"
}

# The id of an answer's record, or of the first of its items.
id_of() { node -e 'const a = JSON.parse(process.argv[1]); process.stdout.write(a.id ?? a.items?.[0]?.id ?? "")' "$1"; }

# The id of a record for the operations on one record ({id}) to work on, if there is
# one: an incident opened on the portal's own component, a provisioning request the
# portal has. A portal that has just started may still be reading its catalog, so
# opening the incident is retried for a while.
record_id() {
  local answer=""
  case "$1" in
    incidents)
      for _ in $(seq 1 60); do
        answer=$(api POST /incidents/incidents '{"entityRef":"component:default/paved-portal","severity":"sev4","summary":"Opened by the API fuzzing of ./paved test"}') &&
          id_of "$answer" && return
        sleep 2
      done
      warn "could not open an incident to fuzz the operations on one (they will only see 404s): $answer"
      ;;
    provisioning)
      answer=$(api GET '/provisioning/requests?limit=1') && id_of "$answer"
      ;;
  esac
  return 0
}

failed=()
t0=$SECONDS
for spec in plugins/*/src/schema/openapi.yaml; do
  pkg=${spec%/src/schema/openapi.yaml}
  id=$(node -p "require('./$pkg/package.json').backstage.pluginId")
  wait_for_backend
  PAVED_FUZZ_ID=$(record_id "$id")
  export PAVED_FUZZ_ID=${PAVED_FUZZ_ID:-no-such-record}
  say "Fuzzing $spec against $backend/api/$id (records: $PAVED_FUZZ_ID)"
  # Named by package: a plugin's modules serve specs of their own under its id.
  report="$reports/fuzz-${pkg##*/}.xml"
  rm -f "$report"
  # From a folder of its own: Hypothesis keeps a cache (.hypothesis) in the current one.
  if ! (cd "$work" && schemathesis --config-file "$PAVED_ROOT/scripts/fuzz-apis.toml" \
    run "$PAVED_ROOT/$spec" --url "$backend/api/$id" --no-color \
    --report junit --report-junit-path "$report"); then
    failed+=("$id")
    # A run that ended before it reported (a spec that does not load, say) still
    # counts as a failure in the summary of ./paved test.
    [ -f "$report" ] || printf '<testsuites tests="1" failures="1" errors="0" skipped="0"></testsuites>\n' >"$report"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  die "the API fuzzing of ${failed[*]} failed (after $((SECONDS - t0)) s; reports in $reports)"
fi
say "Every backend's API passed fuzzing in $((SECONDS - t0)) s"
