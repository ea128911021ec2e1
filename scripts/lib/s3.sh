# shellcheck shell=bash
# A private S3 server (versitygw over a folder) on free loopback ports, with its data in a
# folder of its own, for tests and the local portal. Sourced after bootstrap.sh and ports.sh.
#
#   ensure_versitygw   versitygw, built once from its Go module into
#                      $PAVED_HOME/bin/versitygw-<version>/ and reused (needs Go)
#   s3_up DIR          starts (or reuses) the server of DIR; sets PAVED_S3_* and writes
#                      DIR/env (the PAVED_TEST_S3_* exports, for tests)
#   s3_down DIR [fast] stops it, keeps its data (s3_up starts it again)
#   s3_purge DIR       kills it and deletes DIR
#   s3_pause DIR / s3_resume DIR
#                      an outage for fault tests: stopped, then started again on the
#                      same ports with the same data
#
# The root account's access key is `paved-root`; its secret is generated on first start and
# kept in DIR/root-secret (mode 600). It reaches the server through the environment, never
# its arguments (which `ps` shows). Buckets live in DIR/data, accounts in DIR/iam, older
# object versions (bucket versioning) in DIR/versions, which must be outside DIR/data.

PAVED_VERSITYGW_VERSION=v1.8.0
PAVED_S3_ACCESS_KEY=paved-root

ensure_versitygw() {
  local dir="$PAVED_HOME/bin/versitygw-$PAVED_VERSITYGW_VERSION"
  PAVED_VERSITYGW="$dir/versitygw"
  export PAVED_VERSITYGW
  [ -x "$PAVED_VERSITYGW" ] && return 0
  if ! command -v go >/dev/null; then
    # The usual tarball location is not always on PATH of non-login shells.
    [ -x /usr/local/go/bin/go ] || die "Go is needed to build versitygw (the S3 server) and 'go' is not on PATH"
    PATH=/usr/local/go/bin:$PATH
  fi
  mkdir -p "$dir"
  # One build at a time, also across concurrent runs (a test run and a portal start).
  (
    if command -v flock >/dev/null; then
      exec 8>"$dir/.build.lock"
      flock 8
    fi
    [ -x "$PAVED_VERSITYGW" ] && exit 0 # built meanwhile by the other run
    say "Building versitygw $PAVED_VERSITYGW_VERSION (the S3 server; first time about 1-2 min)"
    # Into a folder of its own first, so an interrupted build never leaves a half-written
    # binary that a later run would take as built. Static, -trimpath keeps local paths
    # out of it; GOFLAGS from the user still apply.
    local tmp="$dir/.build.$$" t0=$SECONDS
    rm -rf "$tmp"
    mkdir -p "$tmp"
    trap 'rm -rf "$tmp"' EXIT
    GOBIN=$tmp CGO_ENABLED=0 run_logged versitygw-build go install -trimpath -ldflags '-s -w' \
      "github.com/versity/versitygw/cmd/versitygw@$PAVED_VERSITYGW_VERSION"
    mv -f "$tmp/versitygw" "$PAVED_VERSITYGW"
    say "versitygw built in $((SECONDS - t0)) s"
  ) || die "versitygw could not be built"
}

# Prints the server's pid when it runs (and is DIR's: its arguments name DIR's iam folder).
s3_pid() {
  local dir=$1 pid
  [ -f "$dir/pid" ] || return 1
  pid=$(cat "$dir/pid")
  [ -n "$pid" ] || return 1
  case $(ps -ww -o stat=,args= -p "$pid" 2>/dev/null) in Z*) return 1 ;; *"--iam-dir $dir/iam "*) echo "$pid" ;; *) return 1 ;; esac
}

# A signed ListBuckets as the root account (curl signs it; the credentials go on stdin).
s3_ready() {
  local dir=$1
  # shellcheck disable=SC1091
  . "$dir/ports"
  # versitygw wants the payload's hash, which curl does not send: that of an empty body.
  [ "$(printf 'user = "%s:%s"\naws-sigv4 = "aws:amz:us-east-1:s3"\nheader = "x-amz-content-sha256: %s"\n' \
    "$PAVED_S3_ACCESS_KEY" "$(cat "$dir/root-secret")" \
    e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 |
    curl -sS -K - --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$S3_PORT/" 2>/dev/null)" = 200 ]
}

# Ports of the last start, when both are free again; otherwise new ones. REQUIRE=same
# fails instead of choosing new ones.
s3_choose_ports() {
  keep_or_pick_ports "$1/ports" "the S3 server" "${2:-}" S3_PORT S3_ADMIN_PORT
}

# Sets PAVED_S3_* for the caller and writes DIR/env for tests.
s3_export() {
  local dir=$1
  # shellcheck disable=SC1091
  . "$dir/ports"
  export PAVED_S3_PORT=$S3_PORT PAVED_S3_ADMIN_PORT=$S3_ADMIN_PORT
  export PAVED_S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
  export PAVED_S3_ADMIN_ENDPOINT="http://127.0.0.1:$S3_ADMIN_PORT"
  export PAVED_S3_ACCESS_KEY
  export PAVED_S3_SECRET_FILE="$dir/root-secret"
  write_private_exports "$dir/env" \
    "PAVED_TEST_S3_ENDPOINT=$PAVED_S3_ENDPOINT" \
    "PAVED_TEST_S3_ADMIN_ENDPOINT=$PAVED_S3_ADMIN_ENDPOINT" \
    "PAVED_TEST_S3_ACCESS_KEY=$PAVED_S3_ACCESS_KEY" \
    "PAVED_TEST_S3_SECRET_KEY=$(cat "$dir/root-secret")"
}

s3_up() {
  local dir=$1 require=${2:-}
  [ -n "${PAVED_VERSITYGW:-}" ] || ensure_versitygw
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)
  (
    umask 077
    mkdir -p "$dir/data" "$dir/versions" "$dir/iam" "$dir/log"
    [ -s "$dir/root-secret" ] || od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$dir/root-secret"
  ) || die "could not prepare $dir for the S3 server"
  # (Explicit `|| die`s: callers may run this where `set -e` does not apply, as in `if (...)`.)
  if s3_pid "$dir" >/dev/null && s3_ready "$dir"; then
    s3_export "$dir"
    return 0
  fi
  s3_down "$dir"
  (umask 077 && s3_choose_ports "$dir" "$require") || die "no ports for the S3 server"
  # shellcheck disable=SC1091
  . "$dir/ports"
  printf '\n===== starting %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$dir/log/server.out"
  # Its own session (a Ctrl-C in the terminal that started it never reaches it); the shell
  # writes its own pid, then becomes the server.
  (
    umask 077
    # shellcheck disable=SC2016 # $$, $0 and $@ are the inner shell's
    ROOT_ACCESS_KEY_ID=$PAVED_S3_ACCESS_KEY ROOT_SECRET_ACCESS_KEY=$(cat "$dir/root-secret") \
      setsid sh -c 'echo $$ >"$0/pid"; exec "$@"' "$dir" "$PAVED_VERSITYGW" --quiet \
      --port "127.0.0.1:$S3_PORT" --admin-port "127.0.0.1:$S3_ADMIN_PORT" \
      --iam-dir "$dir/iam" posix --versioning-dir "$dir/versions" "$dir/data" </dev/null >>"$dir/log/server.out" 2>&1 &
  )
  local t0=$SECONDS
  until s3_ready "$dir"; do
    if [ $((SECONDS - t0)) -gt 30 ] || { [ $((SECONDS - t0)) -gt 2 ] && ! s3_pid "$dir" >/dev/null; }; then
      tail -n 30 "$dir/log/server.out" >&2
      s3_down "$dir"
      die "the S3 server (versitygw) did not start (log: $dir/log/server.out)"
    fi
    sleep 0.2
  done
  s3_export "$dir"
}

# s3_down DIR [fast]: `fast` kills the server at once, for data that is thrown away next.
s3_down() {
  local dir=$1 mode=${2:-graceful} pid
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd -P)
  if pid=$(s3_pid "$dir"); then
    if [ "$mode" = fast ]; then kill -KILL "$pid" 2>/dev/null || true; fi
    kill -TERM "$pid" 2>/dev/null || true
    local t0=$SECONDS
    while s3_pid "$dir" >/dev/null && [ $((SECONDS - t0)) -lt 10 ]; do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/pid" "$dir/env"
}

s3_purge() {
  s3_down "$1" fast
  rm -rf "$1"
}

s3_pause() { s3_down "$1"; }
s3_resume() { s3_up "$1" same; }
