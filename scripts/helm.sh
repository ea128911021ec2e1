#!/usr/bin/env bash
# scripts/helm.sh — Helm v4, which the chart test (packages/backend/src/production/helmChart.test.ts)
# runs against deploy/helm/paved (`helm lint`, `helm template`).
#
#   path    print the path of helm, building it first when it is not built
#   build   build helm unless it is built (prints nothing on stdout)
#   version print the pinned version
#
# helm is built from its Go module (`go install helm.sh/helm/v4/cmd/helm@<version>`: the module
# has no replace directives, so no wrapper module is needed) into
# $PAVED_HOME/tools/helm/<version>/helm (PAVED_HOME defaults to <repo>/.paved); a version bump
# builds the new one next to the old. Needs Go (`go` on PATH or /usr/local/go/bin/go; exit code 3
# without it) and the Go module proxy for the first build only; later runs are offline. The first
# build takes about 2 min on 2 cores and up to 1.3 GiB of memory. Concurrent callers build once
# (flock); build output goes to stderr so that `$(scripts/helm.sh path)` is just the path.
set -euo pipefail

HELM_VERSION=v4.3.2
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PAVED_HOME=${PAVED_HOME:-$REPO_ROOT/.paved}
case $PAVED_HOME in /*) ;; *) PAVED_HOME=$PWD/$PAVED_HOME ;; esac
BIN_DIR=$PAVED_HOME/tools/helm/$HELM_VERSION
BIN=$BIN_DIR/helm

log() { printf '%s\n' "$*" >&2; }
die() { printf 'helm.sh: %s\n' "$1" >&2; exit "${2:-1}"; }
now() { date +%s; }

find_go() {
  if command -v go >/dev/null 2>&1; then return 0; fi
  # The usual tarball location is not always on PATH of non-login shells.
  if [ -x /usr/local/go/bin/go ]; then PATH=/usr/local/go/bin:$PATH; return 0; fi
  die "Go 1.26+ is needed to build helm $HELM_VERSION and 'go' is not on PATH" 3
}

cmd_build() {
  [ -x "$BIN" ] && return 0
  find_go
  mkdir -p "$BIN_DIR"
  # One build at a time, also across concurrent invocations (two test files, ./paved test and a
  # developer): both would compile the same packages, and one build already uses every core.
  exec 8>"$BIN_DIR/.build.lock"
  if command -v flock >/dev/null 2>&1 && ! flock -n 8; then
    log "another helm build is running; waiting for it"
    flock 8
  fi
  [ -x "$BIN" ] && return 0 # built meanwhile by the other invocation
  # Into a temporary GOBIN first, so an interrupted build never leaves a half-written binary
  # that a later run would take as built.
  local blog=$BIN_DIR/build.log t0 pid el last=-1
  TMP_DIR=$(mktemp -d "$BIN_DIR/.build.XXXXXX") BUILD_PID=""
  # Interrupted (Ctrl-C, SIGTERM from a test runner's cleanup): end the go build, drop its output.
  trap 'if [ -n "$BUILD_PID" ]; then kill "$BUILD_PID" 2>/dev/null || true; fi; rm -rf "$TMP_DIR"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  t0=$(now)
  log "building helm $HELM_VERSION into $BIN (first build: module download + ~2 min of compiling on 2 cores)"
  # Static binary; -trimpath keeps local paths out of it. The -X stamps the version that
  # `helm version` prints (helm's own Makefile does the same).
  (CGO_ENABLED=0 GOBIN=$TMP_DIR exec go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v4/cmd/helm@$HELM_VERSION") >"$blog" 2>&1 &
  BUILD_PID=$!
  pid=$BUILD_PID
  while kill -0 "$pid" 2>/dev/null; do
    el=$(($(now) - t0))
    if [ $((el / 30)) -ne "$last" ]; then
      last=$((el / 30)); log "  helm ... ${el}s"
    fi
    sleep 1
  done
  if ! wait "$pid"; then
    BUILD_PID=""
    tail -n 30 "$blog" >&2
    die "building helm failed (full log: $blog)"
  fi
  BUILD_PID=""
  mv -f "$TMP_DIR/helm" "$BIN"
  rm -rf "$TMP_DIR" "$blog"
  trap - EXIT INT TERM
  log "helm $HELM_VERSION built in $(($(now) - t0))s: $BIN"
}

cmd_path() {
  cmd_build
  echo "$BIN"
}

main() {
  local cmd=${1:-}
  [ $# -gt 0 ] && shift
  [ $# -eq 0 ] || die "unexpected argument: $1 (usage: $0 path|build|version)" 2
  case $cmd in
    path) cmd_path ;;
    build) cmd_build ;;
    version) echo "$HELM_VERSION" ;;
    -h | --help | help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
    *) die "usage: $0 path|build|version" 2 ;;
  esac
}

main "$@"
