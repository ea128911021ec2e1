# shellcheck shell=bash
# `./paved start`: the portal on embedded defaults. Sourced after bootstrap.sh, ports.sh,
# postgres.sh, rabbitmq.sh and s3.sh.
#
# app-config.yaml holds the defaults that also work for a plain `yarn start`; on top of
# it come files that scripts/write-portal-config.mjs generates in the data folder
# (PAVED_DATA_DIR, so tests can use a throwaway one): absolute data paths, and the local
# Kubernetes cluster with the private Postgres, RabbitMQ node and S3 server once they run.
#
# The portal never waits for the cluster's first build (Go compiles for minutes): the
# build runs beside it at low CPU priority, and once the cluster has started, the
# backend restarts with it (the frontend carries on). Until then, a status file in the
# data folder (paved.localCluster.statusFile) tells the portal's pages how far it is.
# When the binaries exist, the cluster starts first and the portal starts with it.

PAVED_CLUSTER_NICENESS=15

# The local cluster, unless it is turned off or clusters of one's own replace it.
portal_cluster_wanted() {
  if [ "${PAVED_CLUSTER:-local}" = off ]; then
    say "Local Kubernetes cluster disabled (PAVED_CLUSTER=off)"
    return 1
  fi
  # Clusters of your own (docs/kubernetes.md) replace the local one.
  if [ -f app-config.local.yaml ] && grep -q '^kubernetes:' app-config.local.yaml; then
    say "Using the Kubernetes clusters configured in app-config.local.yaml"
    return 1
  fi
}

portal_json_string() {
  local s
  s=$(printf '%s' "$1" | LC_ALL=C tr '\000-\037' ' ')
  s=${s//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

# portal_cluster_status STATE [STEP] [MESSAGE]: what the portal's pages show about the
# local cluster (the backend serves this file as GET /api/provisioning/local-cluster).
# STATE: building | starting | ready | failed. Written whole, then renamed, so that a
# reader never sees half of it.
portal_cluster_status() {
  local state=$1 step=${2:-} message=${3:-} tmp="$PAVED_CLUSTER_STATUS.tmp"
  {
    printf '{"state":"%s","startedAt":"%s"' "$state" "$PAVED_CLUSTER_STARTED_AT"
    if [ -n "${PAVED_LAST_BUILD_SECONDS:-}" ]; then
      printf ',"lastBuildSeconds":%d' "$PAVED_LAST_BUILD_SECONDS"
    fi
    [ -n "$step" ] && printf ',"step":%s' "$(portal_json_string "$step")"
    [ -n "$message" ] && printf ',"message":%s' "$(portal_json_string "$message")"
    printf '}\n'
  } >"$tmp"
  mv -f "$tmp" "$PAVED_CLUSTER_STATUS"
}

portal_prefixed() {
  local line
  while IFS= read -r line; do printf '[cluster] %s\n' "$line" >&2; done
}

# Writes the portal's part of the config (both frontend and backend load it).
portal_write_config() {
  local args=(portal --data "$PAVED_PORTAL_DATA" --out "$PAVED_PORTAL_CONFIG")
  [ -n "${PAVED_CLUSTER_STATUS:-}" ] && args+=(--status-file "$PAVED_CLUSTER_STATUS")
  if [ -n "${PAVED_IDP_ISSUER:-}" ]; then
    args+=(--idp-issuer "$PAVED_IDP_ISSUER" --idp-secret-file "$PAVED_IDP_SECRET_FILE"
      --idp-session-secret-file "$PAVED_IDP_SESSION_SECRET_FILE")
  fi
  node scripts/write-portal-config.mjs "${args[@]}"
}

# Writes the cluster's part (only the backend loads it: see write-portal-config.mjs).
portal_write_cluster_config() {
  local args=(cluster --data "$PAVED_PORTAL_DATA" --out "$PAVED_CLUSTER_CONFIG"
    --k8s-url "$PAVED_K8S_URL" --k8s-ca-file "$PAVED_K8S_CA_FILE"
    --k8s-token-file "$PAVED_K8S_PORTAL_TOKEN_FILE")
  if [ "${PAVED_STARTED_POSTGRES:-}" = yes ]; then
    args+=(--postgres-port "$PAVED_PG_PORT" --postgres-password-file "$PAVED_PG_PASSWORD_FILE")
  fi
  if [ "${PAVED_RABBITMQ_READY:-}" = yes ]; then
    args+=(--rabbitmq-management-port "$PAVED_RABBITMQ_MANAGEMENT_PORT"
      --rabbitmq-amqp-port "$PAVED_RABBITMQ_AMQP_PORT" --rabbitmq-user "$PAVED_RABBITMQ_USER"
      --rabbitmq-password-file "$PAVED_RABBITMQ_PASSWORD_FILE")
  fi
  if [ "${PAVED_S3_READY:-}" = yes ]; then
    args+=(--s3-port "$PAVED_S3_PORT" --s3-admin-port "$PAVED_S3_ADMIN_PORT"
      --s3-access-key "$PAVED_S3_ACCESS_KEY" --s3-secret-file "$PAVED_S3_SECRET_FILE")
  fi
  node scripts/write-portal-config.mjs "${args[@]}"
}

# The local identity provider (packages/local-idp): the sample organisation's people
# sign in through it (password paved-local, local use only; packages/local-idp/README.md).
# Its port stays the same across starts when it is free, and the portal's client secret
# is generated once per data folder and kept there, readable by the user only; the
# process gets it in its environment, never on its command line. One that does not start
# leaves sign-in as guest only, never the portal down. Runs before the backend, which
# reads its discovery document when it starts.
portal_idp_up() {
  local dir=$PAVED_PORTAL_DATA/idp t0=$SECONDS
  mkdir -p "$dir"
  keep_or_pick_ports "$dir/ports" "the local identity provider" any PAVED_IDP_PORT
  # shellcheck disable=SC1091
  . "$dir/ports"
  PAVED_IDP_SECRET_FILE=$dir/client-secret
  # The auth backend's session secret too: Backstage's OIDC module keeps each sign-in's
  # state in a session, which the auth backend sets up only with a secret.
  PAVED_IDP_SESSION_SECRET_FILE=$dir/session-secret
  local secret
  for secret in "$PAVED_IDP_SECRET_FILE" "$PAVED_IDP_SESSION_SECRET_FILE"; do
    if [ ! -s "$secret" ]; then
      # No trailing newline: the config's $file reference reads the file whole.
      (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$secret.tmp") &&
        mv -f "$secret.tmp" "$secret"
    fi
    chmod 600 "$secret"
  done
  local backend=http://localhost:7007/api/auth/oidc/handler/frame
  PAVED_IDP_CLIENT_SECRET=$(cat "$PAVED_IDP_SECRET_FILE") \
    PAVED_IDP_PORT=$PAVED_IDP_PORT \
    PAVED_IDP_REDIRECT_URIS="$backend,${backend/localhost/127.0.0.1}" \
    PAVED_IDP_ORG_DIR=$PAVED_ROOT/examples/org/org \
    node --require @backstage/cli-node/config/nodeTransform.cjs \
    packages/local-idp/src/main.ts >"$dir/idp.log" 2>&1 6<&- &
  PAVED_IDP_PID=$!
  until grep -q 'ready at' "$dir/idp.log" 2>/dev/null; do
    if ! portal_alive "$PAVED_IDP_PID" || [ $((SECONDS - t0)) -gt 60 ]; then
      kill -TERM "$PAVED_IDP_PID" 2>/dev/null || true
      wait "$PAVED_IDP_PID" 2>/dev/null || true
      PAVED_IDP_PID=""
      warn "the local identity provider did not start: sign-in is guest only (log: $dir/idp.log)"
      return 1
    fi
    sleep 0.2
  done
  PAVED_IDP_ISSUER=http://127.0.0.1:$PAVED_IDP_PORT
  say "Sign in as any sample person (password paved-local) through the local identity provider at $PAVED_IDP_ISSUER (ready in $((SECONDS - t0)) s)"
}

# The private RabbitMQ node (self-service queues) and S3 server (buckets), data in the
# data folder, reused across starts. Each starts in a subshell, as the Postgres does: one
# that cannot start (no root to install RabbitMQ, no Go to build versitygw) leaves its
# type off (its module says so in the log), never the portal down.
portal_servers_up() {
  local dir=$PAVED_PORTAL_DATA/rabbitmq t0=$SECONDS
  portal_cluster_status starting "starting the private RabbitMQ"
  # Set first, so that a Ctrl-C in the middle of a start still stops what it started.
  PAVED_STARTED_RABBITMQ=yes
  if (ensure_rabbitmq && rabbitmq_up "$dir"); then
    rabbitmq_export "$(cd "$dir" && pwd -P)" # what the subshell found, for the config
    PAVED_RABBITMQ_READY=yes
    say "Self-service queues go to the private RabbitMQ on 127.0.0.1:$PAVED_RABBITMQ_AMQP_PORT (management $PAVED_RABBITMQ_MANAGEMENT_URL; ready in $((SECONDS - t0)) s)"
  else
    warn "the private RabbitMQ did not start: self-service queues are off (logs: $dir/log)"
  fi
  dir=$PAVED_PORTAL_DATA/s3 t0=$SECONDS
  portal_cluster_status starting "starting the private S3 server"
  PAVED_STARTED_S3=yes
  if (s3_up "$dir"); then
    s3_export "$(cd "$dir" && pwd -P)"
    PAVED_S3_READY=yes
    say "Self-service buckets go to the private S3 server (versitygw) at $PAVED_S3_ENDPOINT (ready in $((SECONDS - t0)) s)"
  else
    warn "the private S3 server did not start: self-service buckets are off (log: $dir/log/server.out)"
  fi
}

# Starts the local control plane (built already), seeds it, starts the private Postgres
# for self-service databases and writes the cluster's config. Failure here never stops
# the portal: it runs without the cluster, and its pages say why.
portal_cluster_up() {
  portal_cluster_status starting "starting the control plane"
  if ! scripts/cluster.sh start 2>&1 | portal_prefixed; then
    local logs=${PAVED_CLUSTER_DIR:-$PAVED_HOME/cluster}/logs
    portal_cluster_status failed "" "The local cluster did not start (logs: $logs)."
    warn "the local Kubernetes cluster could not start; the portal runs without it (logs: $logs; see docs/kubernetes.md)"
    return 1
  fi
  PAVED_STARTED_CLUSTER=yes
  # shellcheck disable=SC1090
  source <(scripts/cluster.sh env)
  if [ "${PAVED_SEED_CLUSTER:-yes}" = yes ] && [ -x scripts/seed-cluster.sh ]; then
    portal_cluster_status starting "adding the sample workloads"
    scripts/seed-cluster.sh 2>&1 | portal_prefixed ||
      warn "seeding the sample workloads failed; the cluster is up without them"
  fi
  # The postgres resource type keeps each database's credentials in a Secret in the
  # cluster, so its private Postgres comes with the cluster.
  portal_cluster_status starting "starting the private Postgres"
  # First in a subshell: a machine without Postgres (and without root to install it)
  # must not end a portal that already runs; it goes on without the postgres type.
  # The second time only reads what the first did (the server runs by then).
  if (ensure_postgres && pg_up "$PAVED_PORTAL_DATA/postgres"); then
    ensure_postgres
    pg_up "$PAVED_PORTAL_DATA/postgres"
    PAVED_STARTED_POSTGRES=yes
    say "Self-service databases go to the private Postgres on 127.0.0.1:$PAVED_PG_PORT"
  else
    warn "the private Postgres did not start: self-service databases are off; the cluster's other parts join"
  fi
  portal_servers_up
  portal_write_cluster_config
}

# The control plane's first build, in the background at low priority so that the
# portal's own start keeps the CPU. Its output goes to a log that the supervising loop
# shows in the terminal.
portal_build_cluster() {
  PAVED_BUILD_LOG="$PAVED_PORTAL_DATA/cluster-build.log"
  : >"$PAVED_BUILD_LOG"
  exec 6<"$PAVED_BUILD_LOG"
  PAVED_BUILD_PARTIAL=""
  local last=""
  [ -n "${PAVED_LAST_BUILD_SECONDS:-}" ] && last=" (the last build took $((PAVED_LAST_BUILD_SECONDS / 60)) min $((PAVED_LAST_BUILD_SECONDS % 60)) s)"
  say "Building the local Kubernetes control plane beside the portal$last; its pages join when it is ready"
  portal_cluster_status building "starting the build"
  nice -n "$PAVED_CLUSTER_NICENESS" scripts/cluster.sh build >>"$PAVED_BUILD_LOG" 2>&1 6<&- &
  PAVED_BUILD_PID=$!
}

# Shows the build's new lines and keeps the status file's step current.
portal_build_progress() {
  local line
  while :; do
    if IFS= read -r line <&6; then
      line=$PAVED_BUILD_PARTIAL$line
      PAVED_BUILD_PARTIAL=""
      printf '[cluster] %s\n' "$line" >&2
      if [[ $line =~ \[([0-9]+)/([0-9]+)\]\ ([a-z-]+) ]]; then
        portal_cluster_status building "${BASH_REMATCH[3]} (${BASH_REMATCH[1]} of ${BASH_REMATCH[2]})"
      elif [[ $line == *"another build is running"* ]]; then
        portal_cluster_status building "waiting for another build of the same binaries"
      fi
    else
      # A line still being written: keep its start for the next round.
      PAVED_BUILD_PARTIAL+=$line
      return 0
    fi
  done
}

portal_build_finished() {
  local rc=0
  wait "$PAVED_BUILD_PID" || rc=$?
  PAVED_BUILD_PID=""
  portal_build_progress
  [ -n "$PAVED_BUILD_PARTIAL" ] && printf '[cluster] %s\n' "$PAVED_BUILD_PARTIAL" >&2
  exec 6<&-
  if [ "$rc" != 0 ]; then
    local reason
    reason=$(sed -n 's/^cluster: //p' "$PAVED_BUILD_LOG" | tail -n 1)
    reason=${reason:-the build exited with status $rc}
    case $reason in *"log:"*) ;; *) reason="$reason (log: $PAVED_BUILD_LOG)" ;; esac
    portal_cluster_status failed "" "The build failed: $reason."
    warn "the local Kubernetes control plane could not be built: $reason; the portal runs without it"
    return
  fi
  PAVED_LAST_BUILD_SECONDS=$(scripts/cluster.sh build-seconds)
  portal_cluster_up && portal_restart_backend
}

# portal_run app|backend: one half of what `yarn start` (backstage-cli repo start) runs,
# so that the backend can restart on its own.
portal_run() {
  local configs=(--config "$PAVED_ROOT/app-config.yaml" --config "$PAVED_PORTAL_CONFIG")
  if [ "$1" = backend ] && [ -f "$PAVED_CLUSTER_CONFIG" ]; then
    configs+=(--config "$PAVED_CLUSTER_CONFIG")
  fi
  [ -f app-config.local.yaml ] && configs+=(--config "$PAVED_ROOT/app-config.local.yaml")
  yarn start "$1" "${configs[@]}" 6<&- &
  if [ "$1" = app ]; then PAVED_FRONTEND_PID=$!; else PAVED_BACKEND_PID=$!; fi
}

portal_alive() {
  kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]
}

portal_restart_backend() {
  say "The local Kubernetes cluster is ready. Restarting the backend once so that the Kubernetes pages, self-service databases and environments, runbooks and scorecard checks use it (the frontend keeps running)"
  portal_cluster_status starting "restarting the portal's backend"
  local t0=$SECONDS
  kill -TERM "$PAVED_BACKEND_PID" 2>/dev/null || true
  wait "$PAVED_BACKEND_PID" 2>/dev/null || true
  # A backend in the middle of a restart of its own (dev mode restarts on source
  # changes) takes a while to end.
  while port_in_use 7007; do
    [ $((SECONDS - t0)) -gt 120 ] && die "port 7007 is still in use 2 minutes after the backend was asked to stop"
    sleep 1
  done
  portal_run backend
  until curl -sf -o /dev/null http://localhost:7007/.backstage/health/v1/readiness; do
    portal_alive "$PAVED_BACKEND_PID" || return 0 # the supervising loop reports it
    sleep 2
  done
  portal_cluster_status ready
  say "Backend restarted with the local cluster in $((SECONDS - t0)) s: reload open pages to use it"
}

# Waits on the portal; meanwhile shows the cluster build's progress and, once it is
# built, brings the cluster in.
portal_supervise() {
  local pid rc
  while :; do
    for pid in "$PAVED_FRONTEND_PID" "$PAVED_BACKEND_PID"; do
      if ! portal_alive "$pid"; then
        rc=0
        wait "$pid" || rc=$?
        [ "$pid" = "$PAVED_FRONTEND_PID" ] && warn "the portal's frontend stopped (status $rc)"
        [ "$pid" = "$PAVED_BACKEND_PID" ] && warn "the portal's backend stopped (status $rc)"
        exit "$rc"
      fi
    done
    if [ -n "${PAVED_BUILD_PID:-}" ]; then
      portal_build_progress
      portal_alive "$PAVED_BUILD_PID" || portal_build_finished
    fi
    sleep 1
  done
}

portal_stop_children() {
  trap - EXIT INT TERM
  local pid
  if [ -n "${PAVED_BUILD_PID:-}" ]; then
    # cluster.sh ends its `go build` and drops the partial binary.
    kill -TERM "$PAVED_BUILD_PID" 2>/dev/null || true
    wait "$PAVED_BUILD_PID" 2>/dev/null || true
  fi
  for pid in "${PAVED_FRONTEND_PID:-}" "${PAVED_BACKEND_PID:-}"; do
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for pid in "${PAVED_FRONTEND_PID:-}" "${PAVED_BACKEND_PID:-}"; do
    if [ -n "$pid" ]; then wait "$pid" 2>/dev/null || true; fi
  done
  # After the backend, which may still be answering a sign-in.
  if [ -n "${PAVED_IDP_PID:-}" ]; then
    kill -TERM "$PAVED_IDP_PID" 2>/dev/null || true
    wait "$PAVED_IDP_PID" 2>/dev/null || true
  fi
  if [ "${PAVED_STARTED_POSTGRES:-}" = yes ]; then
    pg_down "$PAVED_PORTAL_DATA/postgres"
  fi
  if [ "${PAVED_STARTED_RABBITMQ:-}" = yes ]; then
    rabbitmq_down "$PAVED_PORTAL_DATA/rabbitmq" || true
  fi
  if [ "${PAVED_STARTED_S3:-}" = yes ]; then
    s3_down "$PAVED_PORTAL_DATA/s3" || true
  fi
  if [ "${PAVED_STARTED_CLUSTER:-}" = yes ] && [ "${PAVED_KEEP_CLUSTER:-no}" != yes ]; then
    say "Stopping the local Kubernetes cluster"
    scripts/cluster.sh stop || true
  fi
}

portal_start() {
  local port
  for port in 3000 7007; do
    port_in_use "$port" && die "port $port is already in use: is the portal (or another app) already running?"
  done
  ensure_node
  ensure_yarn
  ensure_dependencies
  local data=${PAVED_DATA_DIR:-$PAVED_HOME/data}
  mkdir -p "$data/sqlite" "$data/techdocs"
  PAVED_PORTAL_DATA=$(cd "$data" && pwd)
  PAVED_PORTAL_CONFIG="$PAVED_PORTAL_DATA/app-config.generated.yaml"
  PAVED_CLUSTER_CONFIG="$PAVED_PORTAL_DATA/app-config.cluster.generated.yaml"
  rm -f "$PAVED_CLUSTER_CONFIG" # written again once this start's cluster runs
  PAVED_CLUSTER_STATUS=""
  trap portal_stop_children EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  local cluster=no
  if portal_cluster_wanted; then
    PAVED_CLUSTER_STATUS="$PAVED_PORTAL_DATA/local-cluster.json"
    PAVED_CLUSTER_STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    PAVED_LAST_BUILD_SECONDS=$(scripts/cluster.sh build-seconds)
    if scripts/cluster.sh build --check; then
      cluster=now
    else
      # After the dependencies, which need the network and the CPU first.
      portal_build_cluster
      cluster=later
    fi
  fi
  ensure_mkdocs
  if [ "$cluster" = now ] && portal_cluster_up; then
    portal_cluster_status ready
  fi
  if [ "${PAVED_IDP:-local}" = off ]; then
    say "Local identity provider disabled (PAVED_IDP=off): sign-in is guest only"
  else
    portal_idp_up || true
  fi
  portal_write_config

  say "Starting the portal: http://localhost:3000 (backend http://localhost:7007); data in $PAVED_PORTAL_DATA"
  portal_run app
  portal_run backend
  portal_supervise
}
