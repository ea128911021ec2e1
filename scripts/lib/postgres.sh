# shellcheck shell=bash
# A private, throwaway PostgreSQL cluster on a free loopback port, so that tests and
# the local portal never touch (or need) the machine's own Postgres service.
# Sourced after bootstrap.sh and ports.sh; needs ensure_postgres.

# Runs a Postgres binary as the `postgres` OS user when we are root (initdb refuses root).
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# pg_up DIR [fast]: starts (initialising on first use) a cluster whose data, socket and
# log live in DIR (see pg_dir); prints nothing, sets PAVED_PG_URL (with the superuser's
# password), PAVED_PG_PORT, PAVED_PG_PASSWORD_FILE and PAVED_PG_MAJOR. `fast` turns
# fsync off (tests only).
#
# TCP connections need a password (scram-sha-256), as on a real server: databases the
# portal provisions get roles whose passwords must matter. The superuser's password is
# generated at initdb and kept in DIR/superuser-password (mode 600).
# Where the cluster of DIR really lives. As root, Postgres runs as the `postgres` user,
# who may not be able to reach DIR (a checkout under a root-only folder such as a
# `mktemp -d`); then the cluster lives in a folder of its own under /tmp, recorded in
# DIR/location so that later runs and pg_down find it.
pg_dir() {
  local dir=$1
  mkdir -p "$dir"
  if [ "$(id -u)" != 0 ]; then
    echo "$dir"
    return
  fi
  if [ -f "$dir/location" ]; then
    cat "$dir/location"
    return
  fi
  chown postgres "$dir"
  if runuser -u postgres -- test -w "$dir"; then
    echo "$dir"
    return
  fi
  local elsewhere
  elsewhere=$(mktemp -d /tmp/paved-postgres.XXXXXX)
  chown postgres "$elsewhere"
  echo "$elsewhere" >"$dir/location"
  echo "$elsewhere"
}

pg_up() {
  local dir mode=${2:-durable} port
  dir=$(pg_dir "$1")
  local password_file="$dir/superuser-password"
  if [ -f "$dir/data/PG_VERSION" ] && [ ! -f "$password_file" ]; then
    # Made by an older Paved that trusted every connection: start over.
    pg_as_owner "$PAVED_PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir/data"
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$password_file")
    [ "$(id -u)" = 0 ] && chown postgres "$password_file"
    run_logged initdb pg_as_owner "$PAVED_PG_BIN/initdb" -D "$dir/data" -U postgres -E UTF8 \
      --auth-local=trust --auth-host=scram-sha-256 --pwfile="$password_file"
  fi
  if pg_as_owner "$PAVED_PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    port=$(cat "$dir/port")
  else
    port=$(pick_port) || die "no free port for Postgres"
    local opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200"
    [ "$mode" = fast ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    run_logged pg-start pg_as_owner "$PAVED_PG_BIN/pg_ctl" -D "$dir/data" -w -l "$dir/log" -o "$opts" start
    echo "$port" >"$dir/port"
  fi
  export PAVED_PG_PORT=$port
  export PAVED_PG_PASSWORD_FILE=$password_file
  export PAVED_PG_URL="postgresql://postgres:$(cat "$password_file")@127.0.0.1:$port/postgres"
  export PAVED_PG_MAJOR
  PAVED_PG_MAJOR=$(cut -d. -f1 "$dir/data/PG_VERSION")
}

pg_down() {
  local dir=$1
  [ -f "$dir/location" ] && dir=$(cat "$dir/location")
  [ -f "$dir/data/PG_VERSION" ] || return 0
  pg_as_owner "$PAVED_PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# Stops the cluster of DIR and deletes its data, wherever pg_dir put it.
pg_purge() {
  local dir=$1
  pg_down "$dir"
  [ -f "$dir/location" ] && rm -rf "$(cat "$dir/location")"
  rm -rf "$dir"
}
