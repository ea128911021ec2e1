#!/usr/bin/env bash
# scripts/promtool.sh — Prometheus's promtool, which the tests of Paved's alert rules run
# (`promtool check rules`, `promtool test rules`; see checkPrometheusRule in packages/test-utils).
#
#   build   build promtool from the pinned Go module in tools/promtool, unless it is built
#   path    print the path of the built promtool; exit 1 when it is not built
#
# Environment: PAVED_HOME (default <repo>/.paved) holds the binary, named after the version in
# tools/promtool/versions.env (bin/promtool-<version>), so a version bump builds the new one.
# Needs Go (`go` on PATH or /usr/local/go/bin/go; exit code 3 without it). The first build
# takes about 1.5 min on 2 cores and up to 3.3 GiB of memory; later ones reuse Go's caches.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOL_DIR=$REPO_ROOT/tools/promtool
# shellcheck disable=SC1091 # tools/promtool/versions.env: PROMETHEUS_MODULE_VERSION
. "$TOOL_DIR/versions.env"
PAVED_HOME=${PAVED_HOME:-$REPO_ROOT/.paved}
case $PAVED_HOME in /*) ;; *) PAVED_HOME=$PWD/$PAVED_HOME ;; esac
BIN_DIR=$PAVED_HOME/bin
BIN=$BIN_DIR/promtool-$PROMETHEUS_MODULE_VERSION

log() { printf '%s\n' "$*" >&2; }
die() { printf 'promtool: %s\n' "$1" >&2; exit "${2:-1}"; }
now() { date +%s; }

find_go() {
  if command -v go >/dev/null 2>&1; then return 0; fi
  # The usual tarball location is not always on PATH of non-login shells.
  if [ -x /usr/local/go/bin/go ]; then PATH=/usr/local/go/bin:$PATH; return 0; fi
  die "Go 1.26+ is needed to build promtool (tools/promtool) and 'go' is not on PATH" 3
}

# The Go module's v0.3XX.Y is Prometheus 3.XX.Y; stamped into the binary so that
# `promtool --version` tells the truth.
prometheus_version() {
  local v=${PROMETHEUS_MODULE_VERSION#v0.} minor patch
  minor=${v%%.*}; patch=${v#*.}
  echo "$((minor / 100)).$((minor % 100)).$patch"
}

cmd_build() {
  if [ -x "$BIN" ]; then
    log "promtool up to date: $BIN"
    return 0
  fi
  find_go
  mkdir -p "$BIN_DIR"
  # One build at a time, also across concurrent invocations: both would compile the same
  # files, and one build already uses every core.
  exec 8>"$BIN_DIR/.promtool-build.lock"
  if command -v flock >/dev/null 2>&1 && ! flock -n 8; then
    log "another promtool build is running; waiting for it"
    flock 8
  fi
  if [ -x "$BIN" ]; then # built meanwhile by the other invocation
    log "promtool up to date: $BIN"
    return 0
  fi
  # Into a temporary name first, so an interrupted build never leaves a half-written
  # binary that a later run would take as built.
  local blog=$BIN_DIR/build-promtool.log t0 pid el last=-1
  TMP_BIN=$BIN.tmp.$$ BUILD_PID=""
  # Interrupted (Ctrl-C, SIGTERM from ./paved test's cleanup): end the go build, drop its output.
  trap 'if [ -n "$BUILD_PID" ]; then kill "$BUILD_PID" 2>/dev/null || true; fi; rm -f "$TMP_BIN"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  t0=$(now)
  log "building promtool (Prometheus $(prometheus_version), module $PROMETHEUS_MODULE_VERSION) into $BIN"
  log "(the first build downloads modules and compiles for ~1.5 min on 2 cores; later ones reuse Go's cache)"
  # Static binary; -trimpath keeps local paths out of it. GOFLAGS from the user still apply.
  # remove_all_sd leaves out Prometheus's service discovery (the AWS, Azure, GCE and
  # Kubernetes SDKs, most of the build: 99 s instead of about 4 min on 2 cores, cold):
  # the rule checks and rule tests never discover targets.
  (cd "$TOOL_DIR" && CGO_ENABLED=0 exec go build -trimpath -tags remove_all_sd \
    -ldflags "-s -w -X github.com/prometheus/common/version.Version=$(prometheus_version)" \
    -o "$TMP_BIN" github.com/prometheus/prometheus/cmd/promtool) >"$blog" 2>&1 &
  BUILD_PID=$!
  pid=$BUILD_PID
  while kill -0 "$pid" 2>/dev/null; do
    el=$(($(now) - t0))
    if [ -t 2 ]; then
      printf '\r  promtool %4ds' "$el" >&2
    elif [ $((el / 30)) -ne "$last" ]; then
      last=$((el / 30)); log "  promtool ... ${el}s"
    fi
    sleep 1
  done
  if ! wait "$pid"; then
    BUILD_PID=""
    [ -t 2 ] && printf '\n' >&2
    tail -n 30 "$blog" >&2
    die "building promtool failed (full log: $blog)"
  fi
  BUILD_PID=""
  mv -f "$TMP_BIN" "$BIN"
  rm -f "$blog"
  [ -t 2 ] && printf '\r' >&2
  trap - EXIT INT TERM
  log "promtool built in $(($(now) - t0))s: $BIN"
}

cmd_path() {
  [ -x "$BIN" ] || die "promtool is not built: run '$0 build' (expected $BIN)"
  echo "$BIN"
}

main() {
  local cmd=${1:-}
  [ $# -gt 0 ] && shift
  case $cmd in
    build) cmd_build "$@" ;;
    path) cmd_path "$@" ;;
    -h | --help | help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
    *) die "usage: $0 build|path" 2 ;;
  esac
}

main "$@"
