# shellcheck shell=bash
# A private RabbitMQ node on free loopback ports, with its data in a folder of its own, so
# that tests and the local portal never touch (or need) the machine's own RabbitMQ service.
# Sourced after bootstrap.sh and ports.sh.
#
#   ensure_rabbitmq          Debian's rabbitmq-server (installs it when missing)
#   rabbitmq_up DIR          starts (or reuses) the node of DIR; sets PAVED_RABBITMQ_* and
#                            writes DIR/env (the PAVED_TEST_RABBITMQ_* exports, for tests)
#   rabbitmq_down DIR [fast] stops it, keeps its data (rabbitmq_up starts it again)
#   rabbitmq_purge DIR       kills it and deletes DIR
#   rabbitmq_pause DIR / rabbitmq_resume DIR
#                            a broker outage for fault tests: stopped, then started again
#                            on the same ports with the same data
#
# Everything of the node lives in DIR: HOME (so the Erlang cookie is its own), mnesia,
# logs, config, pid file. Its node name is unique (random, kept in DIR/nodename: the data
# belongs to it) and every port is its own, Erlang distribution and epmd included, so two
# nodes (a developer's portal and a test run) run side by side. The administrator
# `paved-admin` has a password generated on first start, kept in DIR/admin-password
# (mode 600); there is no guest user.

PAVED_RABBITMQ_USER=paved-admin

ensure_rabbitmq() {
  PAVED_RABBITMQ_BIN=${PAVED_RABBITMQ_BIN:-/usr/lib/rabbitmq/bin}
  if [ ! -x "$PAVED_RABBITMQ_BIN/rabbitmq-server" ]; then
    # The package's own service does not matter: the node below has its own ports.
    apt_install rabbitmq-server
    [ -x "$PAVED_RABBITMQ_BIN/rabbitmq-server" ] || die "rabbitmq-server installed, but $PAVED_RABBITMQ_BIN/rabbitmq-server is missing"
  fi
  export PAVED_RABBITMQ_BIN
}

# The environment every RabbitMQ command of DIR's node runs with. /usr/lib/rabbitmq/bin's
# scripts, not /usr/sbin's wrappers: those switch to the `rabbitmq` user and its HOME,
# whose Erlang cookie is not this node's.
rabbitmq_env() {
  local dir=$1
  shift
  # shellcheck disable=SC1091
  . "$dir/ports"
  local epmd_dir
  epmd_dir=$(dirname "$(command -v epmd 2>/dev/null || echo /usr/bin/epmd)")
  env HOME="$dir" PATH="$epmd_dir:$PATH" \
    RABBITMQ_NODENAME="$(cat "$dir/nodename")" \
    RABBITMQ_CONF_ENV_FILE="$dir/cfg/rabbitmq-env.conf" \
    RABBITMQ_CONFIG_FILE="$dir/cfg/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$dir/cfg/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/cfg/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_PID_FILE="$dir/pid" \
    RABBITMQ_DIST_PORT="$RABBITMQ_DIST_PORT" ERL_EPMD_PORT="$RABBITMQ_EPMD_PORT" \
    "$@"
}

# Every process of DIR's node, also while it boots and before it has a pid file: the
# start script, the Erlang VM, its helpers and its epmd all carry the node's unique name
# in their environment. (Without /proc: the VM, found by its `-home DIR` argument.)
rabbitmq_node_pids() {
  local dir=$1 node
  node=$(cat "$dir/nodename")
  if [ -d /proc/self ]; then
    grep -lzxF "RABBITMQ_NODENAME=$node" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 || true
  else
    pgrep -f -- "-home $(printf '%s' "$dir" | sed 's/[][\\.^$*+?(){}|]/\\&/g') -epmd_port " || true
  fi
}

# Prints the node's pid when it runs (and is DIR's, so a recycled pid is never signalled).
rabbitmq_pid() {
  local dir=$1 pid
  [ -f "$dir/pid" ] || return 1
  pid=$(cat "$dir/pid")
  [ -n "$pid" ] || return 1
  case $(ps -ww -o stat=,args= -p "$pid" 2>/dev/null) in Z*) return 1 ;; *"-home $dir -epmd_port "*) echo "$pid" ;; *) return 1 ;; esac
}

# The management API with the administrator's credentials (given on stdin to curl, not
# in its arguments, where `ps` would show them). Prints the HTTP status.
rabbitmq_api() {
  local dir=$1 method=$2 path=$3
  shift 3
  # shellcheck disable=SC1091
  . "$dir/ports"
  printf 'user = "%s:%s"\n' "$PAVED_RABBITMQ_USER" "$(cat "$dir/admin-password")" |
    curl -sS -K - --max-time 10 -o /dev/null -w '%{http_code}' -X "$method" \
      "http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT$path" "$@" 2>/dev/null || true
}

rabbitmq_ready() { [ "$(rabbitmq_api "$1" GET /api/overview)" = 200 ]; }

# Ports of the last start, when they are all free again (URLs stay the same across
# restarts); otherwise four new ones. REQUIRE=same fails instead of choosing new ones.
rabbitmq_choose_ports() {
  keep_or_pick_ports "$1/ports" RabbitMQ "${2:-}" \
    RABBITMQ_AMQP_PORT RABBITMQ_MANAGEMENT_PORT RABBITMQ_DIST_PORT RABBITMQ_EPMD_PORT
}

rabbitmq_write_config() {
  local dir=$1
  # shellcheck disable=SC1091
  . "$dir/ports"
  # default_user/default_pass make the administrator when the node boots on empty data
  # (and no guest); the file holds the password, so it is the user's only (umask 077).
  cat >"$dir/cfg/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$RABBITMQ_AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBITMQ_MANAGEMENT_PORT
loopback_users = none
default_user = $PAVED_RABBITMQ_USER
default_pass = $(cat "$dir/admin-password")
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
log.console = false
log.file.level = info
EOF
  echo '[rabbitmq_management].' >"$dir/cfg/enabled_plugins"
  : >"$dir/cfg/rabbitmq-env.conf"
}

# Sets PAVED_RABBITMQ_* for the caller and writes DIR/env for tests.
rabbitmq_export() {
  local dir=$1
  # shellcheck disable=SC1091
  . "$dir/ports"
  export PAVED_RABBITMQ_AMQP_PORT=$RABBITMQ_AMQP_PORT
  export PAVED_RABBITMQ_MANAGEMENT_PORT=$RABBITMQ_MANAGEMENT_PORT
  export PAVED_RABBITMQ_MANAGEMENT_URL="http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT"
  export PAVED_RABBITMQ_USER
  export PAVED_RABBITMQ_PASSWORD_FILE="$dir/admin-password"
  write_private_exports "$dir/env" \
    "PAVED_TEST_RABBITMQ_MANAGEMENT_URL=$PAVED_RABBITMQ_MANAGEMENT_URL" \
    "PAVED_TEST_RABBITMQ_AMQP_PORT=$RABBITMQ_AMQP_PORT" \
    "PAVED_TEST_RABBITMQ_USER=$PAVED_RABBITMQ_USER" \
    "PAVED_TEST_RABBITMQ_PASSWORD=$(cat "$dir/admin-password")"
}

rabbitmq_up() {
  local dir=$1 require=${2:-}
  [ -n "${PAVED_RABBITMQ_BIN:-}" ] || ensure_rabbitmq
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)
  (
    umask 077
    if [ -f "$dir/nodename" ] && [ ! -s "$dir/admin-password" ]; then
      # Data whose administrator's password is lost: start over.
      rabbitmq_down "$dir"
      rm -rf "$dir/mnesia" "$dir/nodename"
    fi
    mkdir -p "$dir/mnesia" "$dir/log" "$dir/cfg"
    [ -s "$dir/admin-password" ] || od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$dir/admin-password"
    [ -s "$dir/nodename" ] || echo "paved-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')@localhost" >"$dir/nodename"
  ) || die "could not prepare $dir for RabbitMQ"
  # (Explicit `|| die`s: callers may run this where `set -e` does not apply, as in `if (...)`.)
  if rabbitmq_pid "$dir" >/dev/null && rabbitmq_ready "$dir"; then
    rabbitmq_export "$dir"
    return 0
  fi
  # Leftovers of a node that died (its epmd, a half-started beam).
  rabbitmq_down "$dir"
  (umask 077 && rabbitmq_choose_ports "$dir" "$require" && rabbitmq_write_config "$dir") ||
    die "could not write the configuration of RabbitMQ in $dir/cfg"
  printf '\n===== starting %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$dir/log/server.out"
  # Its own session: a Ctrl-C in the terminal that started it never reaches the node.
  (
    umask 077
    rabbitmq_env "$dir" setsid "$PAVED_RABBITMQ_BIN/rabbitmq-server" \
      </dev/null >>"$dir/log/server.out" 2>&1 &
  )
  local t0=$SECONDS
  until rabbitmq_ready "$dir"; do
    if [ $((SECONDS - t0)) -gt 90 ]; then
      tail -n 30 "$dir/log/server.out" >&2
      rabbitmq_down "$dir"
      die "RabbitMQ did not answer within 90 s (logs: $dir/log)"
    fi
    if [ $((SECONDS - t0)) -gt 5 ] && [ -z "$(rabbitmq_node_pids "$dir")" ]; then
      tail -n 30 "$dir/log/server.out" >&2
      rabbitmq_down "$dir"
      die "RabbitMQ stopped while starting (logs: $dir/log)"
    fi
    sleep 0.5
  done
  rabbitmq_export "$dir"
}

# rabbitmq_down DIR [fast]: `fast` kills the node instead of stopping it gracefully
# (7 s, most of it the CLI's own start): for data that is thrown away next.
rabbitmq_down() {
  local dir=$1 mode=${2:-graceful} pid
  [ -f "$dir/nodename" ] && [ -f "$dir/ports" ] || return 0
  dir=$(cd "$dir" && pwd -P)
  if [ "$mode" != fast ] && pid=$(rabbitmq_pid "$dir"); then
    # `stop PIDFILE` returns once the node's process has ended.
    rabbitmq_env "$dir" "${PAVED_RABBITMQ_BIN:-/usr/lib/rabbitmq/bin}/rabbitmqctl" \
      -n "$(cat "$dir/nodename")" stop "$dir/pid" >>"$dir/log/server.out" 2>&1 || true
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  # Whatever else of DIR's node still runs (a node still booting has no pid file yet).
  local pids t0=$SECONDS
  pids=$(rabbitmq_node_pids "$dir")
  # shellcheck disable=SC2086 # a list of pids
  [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
  while [ -n "$(rabbitmq_node_pids "$dir")" ] && [ $((SECONDS - t0)) -lt 10 ]; do sleep 0.2; done
  # The node started an epmd of its own on its own port: end it too (epmd ends only
  # once no node is registered with it).
  rabbitmq_env "$dir" epmd -kill >/dev/null 2>&1 || true
  rm -f "$dir/pid" "$dir/env"
}

rabbitmq_purge() {
  rabbitmq_down "$1" fast
  rm -rf "$1"
}

rabbitmq_pause() { rabbitmq_down "$1"; }
rabbitmq_resume() { rabbitmq_up "$1" same; }
