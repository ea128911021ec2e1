#!/usr/bin/env bash
# scripts/cluster.sh — a real, local Kubernetes control plane for Paved, without Docker.
#
#   build [--check]       build etcd, kube-apiserver, kube-controller-manager, kube-scheduler
#                         and kwok from the pinned Go modules in tools/kube (only what is missing);
#                         --check builds nothing and exits 0 only if all five are built
#   build-seconds         print how long the last build took (nothing if none was recorded)
#   start [--unsafe-no-fsync]
#                         start the cluster (idempotent), create 2 simulated nodes and the
#                         portal's identity, write kubeconfigs and cluster.env
#   stop [--fast] [--purge]
#                         graceful stop (apiserver first, etcd last); --fast SIGKILLs all at
#                         once (throwaway clusters); --purge also deletes the state folder
#   status                per-process state, URL, node readiness; exit 0 only if healthy
#   kubeconfig [--portal] print the path of the admin (or portal) kubeconfig
#   env                   print cluster.env (PAVED_K8S_* lines for the portal)
#
# Environment: PAVED_HOME (default <repo>/.paved) holds binaries, in bin/kube-<version>
# unless PAVED_KUBE_BIN_DIR names another folder; PAVED_CLUSTER_DIR (default
# $PAVED_HOME/cluster) holds everything of one cluster instance (ports, pids, keys, logs,
# kubeconfigs), so two instances with different folders run side by side.
# What it sets up, why, and what it costs: tools/kube/README.md.
set -euo pipefail
set +m      # no job control: background children stay out of their own process group (see launch)
umask 077   # keys, tokens, kubeconfigs and logs are for this user only

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KUBE_TOOLS=$REPO_ROOT/tools/kube
# shellcheck disable=SC1091 # tools/kube/versions.env: K8S_VERSION, ETCD_VERSION, KWOK_VERSION
. "$KUBE_TOOLS/versions.env"
# shellcheck source=lib/ports.sh
. "$REPO_ROOT/scripts/lib/ports.sh"
PAVED_HOME=${PAVED_HOME:-$REPO_ROOT/.paved}
case $PAVED_HOME in /*) ;; *) PAVED_HOME=$PWD/$PAVED_HOME ;; esac
BIN_DIR=${PAVED_KUBE_BIN_DIR:-$PAVED_HOME/bin/kube-$K8S_VERSION}
case $BIN_DIR in /*) ;; *) BIN_DIR=$PWD/$BIN_DIR ;; esac
# How long the last build took, for the portal to tell while the next one runs.
BUILD_SECONDS_FILE=$BIN_DIR/build-seconds
# Binary names carry the etcd/kwok versions too, so a bump of either rebuilds just that one.
declare -A BIN=(
  [etcd]=$BIN_DIR/etcd-$ETCD_VERSION
  [kube-apiserver]=$BIN_DIR/kube-apiserver
  [kube-controller-manager]=$BIN_DIR/kube-controller-manager
  [kube-scheduler]=$BIN_DIR/kube-scheduler
  [kwok]=$BIN_DIR/kwok-$KWOK_VERSION
)
BUILD_ORDER=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
# Start order; stop goes the other way round for the apiserver/etcd pair.
PROCS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
NODES=(paved-node-1 paved-node-2)

log() { printf '%s\n' "$*" >&2; }
die() { printf 'cluster: %s\n' "$1" >&2; exit "${2:-1}"; }
have() { command -v "$1" >/dev/null 2>&1; }
now() { date +%s; }

# ---------------------------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------------------------

find_go() {
  if have go; then return 0; fi
  # The usual tarball location is not always on PATH of non-login shells.
  if [ -x /usr/local/go/bin/go ]; then PATH=/usr/local/go/bin:$PATH; return 0; fi
  die "Go 1.26+ is needed to build the control plane (see tools/kube/README.md) and 'go' is not on PATH" 3
}

# go_build NAME: one binary, into a temporary name first so an interrupted build never leaves
# a half-written binary that a later run would take as built.
go_build() {
  local name=$1 module pkg ld="-s -w"
  case $name in
    kube-*)
      module=kubernetes; pkg=k8s.io/kubernetes/cmd/$name
      local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
      # So that --version and the API's /version tell the truth.
      ld="$ld -X k8s.io/component-base/version.gitVersion=$K8S_VERSION"
      ld="$ld -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
      ld="$ld -X k8s.io/component-base/version.gitTreeState=clean" ;;
    etcd) module=etcd; pkg=go.etcd.io/etcd/server/v3 ;;
    kwok) module=kwok; pkg=sigs.k8s.io/kwok/cmd/kwok ;;
  esac
  local out=${BIN[$name]} tmp=${BIN[$name]}.tmp.$$ blog=$BIN_DIR/build-$name.log
  # Static binaries; -trimpath keeps local paths out of them. GOFLAGS from the user still apply.
  (cd "$KUBE_TOOLS/$module" && CGO_ENABLED=0 exec go build -trimpath -ldflags "$ld" -o "$tmp" "$pkg") \
    >"$blog" 2>&1 &
  BUILD_PID=$!
  local pid=$! t0 last=-1 el
  t0=$(now)
  # A first build takes minutes (kube-apiserver alone ~3.5 min on 2 cores): show it moving.
  while kill -0 "$pid" 2>/dev/null; do
    el=$(($(now) - t0))
    if [ -t 2 ]; then
      printf '\r  [%d/%d] %-24s %4ds' "$BUILD_STEP" "${#BUILD_ORDER[@]}" "$name" "$el" >&2
    elif [ $((el / 20)) -ne "$last" ]; then
      last=$((el / 20)); log "  [$BUILD_STEP/${#BUILD_ORDER[@]}] $name ... ${el}s"
    fi
    sleep 1
  done
  if ! wait "$pid"; then
    [ -t 2 ] && printf '\n' >&2
    rm -f "$tmp"
    tail -n 30 "$blog" >&2
    die "building $name failed (full log: $blog)"
  fi
  BUILD_PID=""
  mv -f "$tmp" "$out"
  rm -f "$blog"
  [ -t 2 ] && printf '\r' >&2
  log "  [$BUILD_STEP/${#BUILD_ORDER[@]}] $name built in $(($(now) - t0))s"
}

cmd_build() {
  local check=0 a
  for a in "$@"; do
    case $a in
      --check) check=1 ;;
      *) die "build: unknown option $a" 2 ;;
    esac
  done
  local missing=() n
  for n in "${BUILD_ORDER[@]}"; do [ -x "${BIN[$n]}" ] || missing+=("$n"); done
  if [ $check = 1 ]; then
    [ ${#missing[@]} -eq 0 ] && return 0
    return 1
  fi
  if [ ${#missing[@]} -eq 0 ]; then
    log "binaries up to date in $BIN_DIR"
    return 0
  fi
  find_go
  mkdir -p "$BIN_DIR"
  # One build at a time, also across concurrent invocations (say two clusters started at
  # once): Go already uses both cores for one binary, and both would build the same files.
  exec 8>"$BIN_DIR/.build.lock"
  if have flock && ! flock -n 8; then
    log "another build is running in $BIN_DIR; waiting for it"
    flock 8
  fi
  # Interrupted (Ctrl-C, SIGTERM): end the running go build and drop its partial output.
  BUILD_PID=""
  trap 'if [ -n "$BUILD_PID" ]; then kill "$BUILD_PID" 2>/dev/null || true; fi; rm -f "$BIN_DIR"/*.tmp.$$' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local t0; t0=$(now)
  log "building Kubernetes $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION into $BIN_DIR"
  log "(the first build downloads modules and compiles for ~6-7 min on 2 cores; later ones reuse Go's cache)"
  BUILD_STEP=0
  for n in "${BUILD_ORDER[@]}"; do
    BUILD_STEP=$((BUILD_STEP + 1))
    [ -x "${BIN[$n]}" ] && continue # built meanwhile by a concurrent invocation
    go_build "$n"
  done
  exec 8>&-
  trap - EXIT INT TERM
  echo "$(($(now) - t0))" >"$BUILD_SECONDS_FILE"
  log "build done in $(($(now) - t0))s"
}

cmd_build_seconds() {
  [ -f "$BUILD_SECONDS_FILE" ] && cat "$BUILD_SECONDS_FILE"
  return 0
}


# ---------------------------------------------------------------------------------------------
# state folder: everything of one instance lives under it, nothing is shared between instances
# ---------------------------------------------------------------------------------------------

CLUSTER_DIR=${PAVED_CLUSTER_DIR:-$PAVED_HOME/cluster}
case $CLUSTER_DIR in /*) ;; *) CLUSTER_DIR=$PWD/$CLUSTER_DIR ;; esac
# Canonical form: it appears in every process's arguments and is how stop recognises them.
[ -d "$CLUSTER_DIR" ] && CLUSTER_DIR=$(cd "$CLUSTER_DIR" && pwd -P)
MARKER=$CLUSTER_DIR/.paved-cluster # only a folder carrying it is ever purged
RUN_DIR=$CLUSTER_DIR/run
LOG_DIR=$CLUSTER_DIR/logs
PKI_DIR=$CLUSTER_DIR/pki
AUTH_DIR=$CLUSTER_DIR/auth
ETCD_DATA=$CLUSTER_DIR/data/etcd
CA_FILE=$PKI_DIR/apiserver.crt # written by the apiserver itself (self-signed, valid for 127.0.0.1)
SA_KEY=$PKI_DIR/sa.key
TOKENS_CSV=$AUTH_DIR/tokens.csv
ADMIN_HEADER=$AUTH_DIR/admin.header   # curl -H @file keeps tokens out of argv (visible in ps)
PORTAL_HEADER=$AUTH_DIR/portal.header
PORTAL_TOKEN=$AUTH_DIR/portal.token
ADMIN_KC=$CLUSTER_DIR/admin.kubeconfig
PORTAL_KC=$CLUSTER_DIR/portal.kubeconfig
CLUSTER_ENV=$CLUSTER_DIR/cluster.env
PORTS_ENV=$CLUSTER_DIR/ports.env
BODY=$RUN_DIR/response.json # last API response body (for error messages)

prepare_dir() {
  mkdir -p "$CLUSTER_DIR"
  CLUSTER_DIR=$(cd "$CLUSTER_DIR" && pwd -P)
  if [ ! -e "$MARKER" ] && [ -n "$(ls -A "$CLUSTER_DIR")" ]; then
    die "$CLUSTER_DIR is not empty and not a Paved cluster folder; choose another PAVED_CLUSTER_DIR"
  fi
  : >"$MARKER"
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$PKI_DIR" "$AUTH_DIR" "$ETCD_DATA"
}

# Serialises start/stop on one folder. fd 9 is closed for every launched process (see launch),
# otherwise the daemons would hold the lock for their whole life.
lock_dir() {
  have flock || return 0
  exec 9>"$RUN_DIR/lock"
  flock -n 9 || die "another cluster.sh is working on $CLUSTER_DIR right now"
}

# ---------------------------------------------------------------------------------------------
# processes
# ---------------------------------------------------------------------------------------------

alive() { # alive PID: exists and is not a zombie (our own children are zombies until reaped)
  kill -0 "$1" 2>/dev/null || return 1
  [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]
}

# pid_of NAME: the pid from NAME's pid file if that process still runs and belongs to this
# cluster folder (its arguments name the folder), so a recycled pid is never signalled.
pid_of() {
  local f=$RUN_DIR/$1.pid pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && alive "$pid" || return 1
  case $(ps -ww -o args= -p "$pid" 2>/dev/null) in *"$CLUSTER_DIR/"*) echo "$pid" ;; *) return 1 ;; esac
}

STARTED=()
# launch NAME ARGS...: detached (own session via setsid, so a Ctrl-C in the terminal that ran
# `start` never reaches the daemons once start is done), stdin closed, own log and pid file.
# `set +m` above guarantees the child is not a process-group leader, so setsid does not fork
# and $! is the daemon's own pid.
launch() {
  local name=$1; shift
  local log_file=$LOG_DIR/$name.log
  printf '\n===== %s starting %s\n' "$name" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$log_file"
  if have setsid; then
    setsid "$@" </dev/null >>"$log_file" 2>&1 9>&- &
  else
    nohup "$@" </dev/null >>"$log_file" 2>&1 9>&- &
  fi
  echo $! >"$RUN_DIR/$name.pid"
  disown $! # a daemon, not a job of this script (bash would report its end as "Killed")
  STARTED+=("$name")
}

# wait_gone SECONDS PID...: returns 1 if any is still alive at the deadline
wait_gone() {
  local deadline=$(($(now) + $1)) p left; shift
  while :; do
    left=0
    for p in "$@"; do alive "$p" && left=1; done
    [ $left = 0 ] && return 0
    [ "$(now)" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

# stop_procs graceful|fast
stop_procs() {
  local mode=$1 n p pids=() front=() front_names=()
  for n in "${PROCS[@]}"; do
    if p=$(pid_of "$n"); then pids+=("$p"); fi
  done
  if [ ${#pids[@]} -eq 0 ]; then rm -f "$RUN_DIR"/*.pid; return 0; fi
  if [ "$mode" = fast ]; then
    # Throwaway clusters: no graceful shutdown needed, etcd's data is thrown away or crash-safe.
    kill -KILL "${pids[@]}" 2>/dev/null || true
    wait_gone 15 "${pids[@]}" || die "processes still alive after SIGKILL: ${pids[*]}"
  else
    # The apiserver first: it drains requests and still needs etcd while doing so. Its
    # clients go at the same time, which keeps its graceful shutdown short (1-2 s here;
    # 10-15 s with them still connected).
    for n in kube-apiserver kube-controller-manager kube-scheduler kwok; do
      if p=$(pid_of "$n"); then kill -TERM "$p" 2>/dev/null || true; front+=("$p"); front_names+=("$n"); fi
    done
    if [ ${#front[@]} -gt 0 ] && ! wait_gone 45 "${front[@]}"; then
      log "  SIGKILL for what did not stop within 45s: ${front_names[*]}"
      kill -KILL "${front[@]}" 2>/dev/null || true
      wait_gone 10 "${front[@]}" || true
    fi
    if p=$(pid_of etcd); then
      kill -TERM "$p" 2>/dev/null || true
      if ! wait_gone 30 "$p"; then
        log "  SIGKILL for etcd (did not stop within 30s)"
        kill -KILL "$p" 2>/dev/null || true
        wait_gone 10 "$p" || true
      fi
    fi
    for p in "${pids[@]}"; do alive "$p" && die "process $p is still alive"; done
  fi
  rm -f "$RUN_DIR"/*.pid
}

# ---------------------------------------------------------------------------------------------
# talking to the apiserver (curl, verifying TLS against the apiserver's own certificate)
# ---------------------------------------------------------------------------------------------

# shellcheck disable=SC1090 # ports.env is written by choose_ports
load_ports() { [ -f "$PORTS_ENV" ] && . "$PORTS_ENV"; [ -n "${APISERVER_PORT:-}" ]; }
api_url() { echo "https://127.0.0.1:$APISERVER_PORT"; }

# api_as HEADERFILE METHOD PATH [curl args]: prints the HTTP status; the body goes to $BODY.
# The user agent matters: the apiserver pretty-prints JSON for curl's, and the parsing below
# expects its compact form. It is also the field manager name of what we create.
api_as() {
  local header=$1 method=$2 path=$3; shift 3
  curl -sS --max-time 20 -A paved-cluster --cacert "$CA_FILE" -H @"$header" -X "$method" \
    -o "$BODY" -w '%{http_code}' "$(api_url)$path" "$@" 2>/dev/null || true
}
api() { api_as "$ADMIN_HEADER" "$@"; }

# apply PATH YAML: server-side apply (idempotent, and updates what changed in this script)
apply() {
  local path=$1 yaml=$2 code
  code=$(api PATCH "$path?fieldManager=paved-cluster&force=true" \
    -H 'Content-Type: application/apply-patch+yaml' --data-binary "$yaml")
  case $code in 200 | 201) ;; *) die "applying $path failed: HTTP $code $(head -c 400 "$BODY")" ;; esac
}

apiserver_ready() {
  [ -f "$CA_FILE" ] || return 1
  [ "$(api GET /readyz)" = 200 ] && [ "$(api GET /api/v1/namespaces/default)" = 200 ]
}

node_ready() { # JSON from the apiserver is compact and in field order: type, then status
  [ "$(api GET "/api/v1/nodes/$1")" = 200 ] && grep -q '"type":"Ready","status":"True"' "$BODY"
}

# ---------------------------------------------------------------------------------------------
# start
# ---------------------------------------------------------------------------------------------


choose_ports() {
  # Keep the previous ports when they are free, so URLs stay stable across restarts.
  if load_ports && [ -n "${ETCD_PORT:-}" ] && [ -n "${ETCD_PEER_PORT:-}" ] &&
    ! port_in_use "$ETCD_PORT" && ! port_in_use "$ETCD_PEER_PORT" && ! port_in_use "$APISERVER_PORT"; then
    return 0
  fi
  ETCD_PORT=$(pick_port) || die "found no free port on 127.0.0.1"
  ETCD_PEER_PORT=$(pick_port "$ETCD_PORT") || die "found no free port on 127.0.0.1"
  APISERVER_PORT=$(pick_port "$ETCD_PORT" "$ETCD_PEER_PORT") || die "found no free port on 127.0.0.1"
  printf 'ETCD_PORT=%s\nETCD_PEER_PORT=%s\nAPISERVER_PORT=%s\n' \
    "$ETCD_PORT" "$ETCD_PEER_PORT" "$APISERVER_PORT" >"$PORTS_ENV"
}

ensure_credentials() {
  have openssl || die "openssl is needed to generate the service-account key"
  # Kept across restarts: tokens already handed out stay valid.
  [ -s "$SA_KEY" ] || openssl genrsa -out "$SA_KEY" 2048 2>/dev/null
  if [ ! -s "$TOKENS_CSV" ]; then
    # The admin bypasses RBAC (system:masters); only controllers, scripts and tests use it.
    printf '%s,admin,admin-uid,"system:masters"\n' "$(openssl rand -hex 32)" >"$TOKENS_CSV"
  fi
  printf 'Authorization: Bearer %s\n' "$(cut -d, -f1 "$TOKENS_CSV")" >"$ADMIN_HEADER"
}

# Without a default route the apiserver stops with "no default routes"; then it needs a
# non-loopback address of the host to advertise (nothing connects to it here).
advertise_args() {
  have ip || return 0
  [ -n "$(ip route show default 2>/dev/null)" ] && return 0
  local a
  a=$(ip -o -4 addr show scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -n1)
  [ -n "$a" ] || a=$(ip -o -6 addr show scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -n1)
  [ -n "$a" ] || die "no default route and no non-loopback address: kube-apiserver needs one to advertise"
  echo "--advertise-address=$a"
}

# fail_start MESSAGE NAME: says why, shows the tail of that process's log, exits (the EXIT trap
# then stops whatever this start launched)
fail_start() {
  log "cluster: $1"
  if [ -n "${2:-}" ] && [ -f "$LOG_DIR/$2.log" ]; then
    log "---- last lines of $LOG_DIR/$2.log"
    tail -n 25 "$LOG_DIR/$2.log" >&2
    log "----"
  fi
  exit 1
}

# wait_for SECONDS WHAT PROC CHECK...: polls CHECK; fails early if PROC died
wait_for() {
  local timeout=$1 what=$2 proc=$3 deadline; shift 3
  deadline=$(($(now) + timeout))
  until "$@"; do
    pid_of "$proc" >/dev/null || fail_start "$proc exited while waiting for $what" "$proc"
    [ "$(now)" -lt "$deadline" ] || fail_start "timed out after ${timeout}s waiting for $what" "$proc"
    sleep 0.3
  done
}

etcd_healthy() { curl -fsS --max-time 2 "http://127.0.0.1:$ETCD_PORT/health" 2>/dev/null | grep -q '"health":"true"'; }

write_kubeconfig() { # write_kubeconfig FILE USER TOKEN
  local tmp=$1.tmp
  cat >"$tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: paved
    cluster:
      server: $(api_url)
      certificate-authority: $CA_FILE
users:
  - name: $2
    user:
      token: $3
contexts:
  - name: paved-$2
    context:
      cluster: paved
      user: $2
current-context: paved-$2
EOF
  mv -f "$tmp" "$1"
}

create_nodes() {
  local n code
  for n in "${NODES[@]}"; do
    # Created, not applied: a node's status (capacity) is only taken on create. kwok then
    # fills in conditions and heartbeats (it manages all nodes).
    code=$(api POST /api/v1/nodes -H 'Content-Type: application/json' --data-binary @- <<EOF
{"apiVersion":"v1","kind":"Node",
 "metadata":{"name":"$n","labels":{"type":"kwok","kubernetes.io/hostname":"$n",
   "kubernetes.io/os":"linux","kubernetes.io/arch":"amd64"},
   "annotations":{"kwok.x-k8s.io/node":"fake","node.alpha.kubernetes.io/ttl":"0"}},
 "spec":{},
 "status":{"capacity":{"cpu":"16","memory":"64Gi","pods":"110"},
   "allocatable":{"cpu":"16","memory":"64Gi","pods":"110"},
   "nodeInfo":{"architecture":"amd64","operatingSystem":"linux","kubeletVersion":"kwok-$KWOK_VERSION"}}}
EOF
    )
    case $code in 201 | 409) ;; *) fail_start "creating node $n failed: HTTP $code $(head -c 300 "$BODY")" kube-apiserver ;; esac
  done
}

# lease_renewed_since NODE TIME: kwok renewed the node's Lease at or after TIME (UTC, to the
# second). On a restart the nodes' stored status still says Ready from the previous run; the
# Lease shows that this run's kwok has taken them over.
lease_renewed_since() {
  [ "$(api GET "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/$1")" = 200 ] || return 1
  local renew
  renew=$(sed -n 's/.*"renewTime":"\([0-9-]*T[0-9:]*\).*/\1/p' "$BODY")
  [ -n "$renew" ] && [[ ! "$renew" < "$2" ]]
}

nodes_ready() {
  local n
  for n in "${NODES[@]}"; do
    node_ready "$n" && lease_renewed_since "$n" "$KWOK_SINCE" || return 1
  done
}

# The portal's own identity: narrower than the admin (which is system:masters).
apply_portal_identity() {
  apply /api/v1/namespaces/paved-system '
apiVersion: v1
kind: Namespace
metadata: {name: paved-system}'
  apply /api/v1/namespaces/paved-system/serviceaccounts/paved-portal '
apiVersion: v1
kind: ServiceAccount
metadata: {name: paved-portal, namespace: paved-system}'
  apply /apis/rbac.authorization.k8s.io/v1/clusterroles/paved-portal '
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: paved-portal}
rules:
  # Read: what the stock Backstage Kubernetes plugin fetches.
  - apiGroups: [""]
    resources: [pods, pods/log, services, configmaps, limitranges, resourcequotas, namespaces, events]
    verbs: [get, list, watch]
  - apiGroups: [apps]
    resources: [deployments, replicasets, statefulsets, daemonsets]
    verbs: [get, list, watch]
  - apiGroups: [autoscaling]
    resources: [horizontalpodautoscalers]
    verbs: [get, list, watch]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses, networkpolicies]
    verbs: [get, list, watch]
  - apiGroups: [batch]
    resources: [jobs, cronjobs]
    verbs: [get, list, watch]
  - apiGroups: [metrics.k8s.io]
    resources: [pods]
    verbs: [get, list]
  # Provisioning: write access to what a provisioned service is made of.
  - apiGroups: [""]
    resources: [namespaces, secrets, configmaps, services, resourcequotas, limitranges]
    verbs: [create, update, patch, delete]
  - apiGroups: [apps]
    resources: [deployments, statefulsets]
    verbs: [create, update, patch, delete]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses, networkpolicies]
    verbs: [create, update, patch, delete]
  - apiGroups: [rbac.authorization.k8s.io]
    resources: [rolebindings]
    verbs: [get, list, watch, create, update, patch, delete]
  # ...and may grant the stock edit/view roles in a namespace, nothing more.
  - apiGroups: [rbac.authorization.k8s.io]
    resources: [clusterroles]
    resourceNames: [edit, view]
    verbs: [bind]
  - apiGroups: [apiextensions.k8s.io]
    resources: [customresourcedefinitions]
    verbs: [get, list]
  - apiGroups: [postgresql.cnpg.io, monitoring.coreos.com]
    resources: ["*"]
    verbs: [get, list, watch, create, update, patch, delete]'
  apply /apis/rbac.authorization.k8s.io/v1/clusterrolebindings/paved-portal '
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: paved-portal}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: paved-portal}
subjects:
  - {kind: ServiceAccount, name: paved-portal, namespace: paved-system}'
  # A long-lived token: the token controller of kube-controller-manager fills it in (it does
  # even with the ServiceAccount admission plugin disabled; checked on this machine).
  apply /api/v1/namespaces/paved-system/secrets/paved-portal-token '
apiVersion: v1
kind: Secret
metadata:
  name: paved-portal-token
  namespace: paved-system
  annotations: {kubernetes.io/service-account.name: paved-portal}
type: kubernetes.io/service-account-token'
}

secret_token() { # prints nothing; writes the portal token file once the controller filled it
  [ "$(api GET /api/v1/namespaces/paved-system/secrets/paved-portal-token)" = 200 ] || return 1
  local b64
  b64=$(sed -n 's/.*"data":{[^}]*"token":"\([^"]*\)".*/\1/p' "$BODY")
  [ -n "$b64" ] || return 1
  printf '%s' "$b64" | base64 -d >"$PORTAL_TOKEN.tmp" && mv -f "$PORTAL_TOKEN.tmp" "$PORTAL_TOKEN"
}

portal_token() {
  local deadline=$(($(now) + 30)) code
  until secret_token; do
    if [ "$(now)" -ge "$deadline" ]; then
      # Fallback: a bound token from the TokenRequest API (one year; the portal re-runs start).
      log "  token Secret not filled by the controller-manager within 30s; using the TokenRequest API"
      code=$(api POST /api/v1/namespaces/paved-system/serviceaccounts/paved-portal/token \
        -H 'Content-Type: application/json' \
        --data-binary '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":31536000}}')
      [ "$code" = 201 ] || fail_start "TokenRequest failed: HTTP $code" kube-controller-manager
      sed -n 's/.*"status":{"token":"\([^"]*\)".*/\1/p' "$BODY" >"$PORTAL_TOKEN.tmp"
      [ -s "$PORTAL_TOKEN.tmp" ] || fail_start "TokenRequest returned no token" kube-apiserver
      mv -f "$PORTAL_TOKEN.tmp" "$PORTAL_TOKEN"
      break
    fi
    sleep 0.5
  done
  : >"$BODY" # the response held the token
  printf 'Authorization: Bearer %s\n' "$(cat "$PORTAL_TOKEN")" >"$PORTAL_HEADER"
  # Sanity check of the identity: it can read pods (the forbidden side is in the smoke test).
  local c; c=$(api_as "$PORTAL_HEADER" GET '/api/v1/pods?limit=1')
  [ "$c" = 200 ] || fail_start "the portal token cannot list pods (HTTP $c)" kube-apiserver
}

write_env() {
  {
    printf 'PAVED_K8S_URL=%q\n' "$(api_url)"
    printf 'PAVED_K8S_CA_FILE=%q\n' "$CA_FILE"
    printf 'PAVED_K8S_PORTAL_TOKEN_FILE=%q\n' "$PORTAL_TOKEN"
    printf 'PAVED_K8S_ADMIN_KUBECONFIG=%q\n' "$ADMIN_KC"
    printf 'PAVED_K8S_PORTAL_KUBECONFIG=%q\n' "$PORTAL_KC"
  } >"$CLUSTER_ENV.tmp"
  mv -f "$CLUSTER_ENV.tmp" "$CLUSTER_ENV"
}

all_running() { local n; for n in "${PROCS[@]}"; do pid_of "$n" >/dev/null || return 1; done; }

START_DONE=0
on_start_exit() {
  local rc=$?
  [ "$START_DONE" = 1 ] && return 0
  trap - INT TERM
  if [ ${#STARTED[@]} -gt 0 ]; then
    log "cluster: start did not complete; stopping the processes it started (${STARTED[*]})"
    stop_procs fast || true
  fi
  exit "$rc"
}

cmd_start() {
  local fsync=1 a
  for a in "$@"; do
    case $a in
      --unsafe-no-fsync) fsync=0 ;; # tests only: a power loss may lose or corrupt etcd's data
      *) die "start: unknown option $a" 2 ;;
    esac
  done
  cmd_build
  prepare_dir
  lock_dir
  local t0; t0=$(now)

  if all_running && load_ports && [ -f "$CLUSTER_ENV" ] && apiserver_ready; then
    log "cluster already running and healthy: $(api_url) ($CLUSTER_DIR)"
    return 0
  fi
  if [ -n "$(ls "$RUN_DIR"/*.pid 2>/dev/null)" ]; then
    log "stopping leftovers of an earlier start in $CLUSTER_DIR"
    stop_procs graceful
  fi

  choose_ports
  ensure_credentials
  rm -f "$CLUSTER_ENV" # present only while a start has completed
  trap on_start_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  log "starting cluster in $CLUSTER_DIR"
  local etcd_args=(
    --name=default --data-dir="$ETCD_DATA"
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT"
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT"
    --initial-cluster="default=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls=http://127.0.0.1:0
  )
  [ $fsync = 0 ] && etcd_args+=(--unsafe-no-fsync)
  launch etcd "${BIN[etcd]}" "${etcd_args[@]}"
  wait_for 30 "etcd health" etcd etcd_healthy

  local adv; adv=$(advertise_args)
  # The issuer does not name the port, so tokens stay valid when a restart picks other ports.
  # Node addresses: kwok reports 127.0.0.1 and the apiserver uses only InternalIP, so a
  # pods/log or exec request can never send traffic off this machine (or look up a hostname).
  launch kube-apiserver "${BIN[kube-apiserver]}" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" --bind-address=127.0.0.1 \
    --secure-port="$APISERVER_PORT" --cert-dir="$PKI_DIR" --service-cluster-ip-range=10.0.0.0/24 \
    --allow-privileged=true --authorization-mode=RBAC --token-auth-file="$TOKENS_CSV" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$SA_KEY" --service-account-signing-key-file="$SA_KEY" \
    --disable-admission-plugins=ServiceAccount --kubelet-preferred-address-types=InternalIP \
    ${adv:+"$adv"}
  wait_for 90 "kube-apiserver /readyz and namespace default" kube-apiserver apiserver_ready
  log "  apiserver ready at $(api_url) after $(($(now) - t0))s"

  write_kubeconfig "$ADMIN_KC" admin "$(cut -d, -f1 "$TOKENS_CSV")"
  local kc=(--kubeconfig="$ADMIN_KC" --authentication-kubeconfig="$ADMIN_KC" --authorization-kubeconfig="$ADMIN_KC")
  launch kube-controller-manager "${BIN[kube-controller-manager]}" "${kc[@]}" \
    --bind-address=127.0.0.1 --secure-port=0 \
    --service-account-private-key-file="$SA_KEY" --root-ca-file="$CA_FILE" \
    --use-service-account-credentials=true --controllers='*' --leader-elect=false
  launch kube-scheduler "${BIN[kube-scheduler]}" "${kc[@]}" \
    --bind-address=127.0.0.1 --secure-port=0 --leader-elect=false
  # kwok plays the kubelet of every node; its Stage objects come from the project copy of the
  # module's stock stages. Pod IPs from 10.244/16 (its default overlaps the service range).
  # --node-lease-duration-seconds: with a --config file holding only Stages, kwok 0.8 does not
  # default it and keeps no node Leases; the heartbeat-with-lease stage then beats only every
  # 10-20 min, so the node lifecycle controller flips the nodes to NotReady every ~50 s.
  # Leases held by a previous run's kwok would keep this one off the nodes until they expire
  # (40 s): that kwok is gone, so drop them.
  local n
  for n in "${NODES[@]}"; do
    api DELETE "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/$n" >/dev/null
  done
  launch kwok "${BIN[kwok]}" --config="$KUBE_TOOLS/kwok-stages.yaml" --kubeconfig="$ADMIN_KC" \
    --manage-all-nodes=true --server-address=127.0.0.1:0 --node-ip=127.0.0.1 --cidr=10.244.0.0/16 \
    --node-lease-duration-seconds=40

  KWOK_SINCE=$(date -u +%Y-%m-%dT%H:%M:%S)
  create_nodes
  wait_for 60 "nodes ${NODES[*]} to be Ready" kwok nodes_ready
  log "  nodes ready after $(($(now) - t0))s"

  apply_portal_identity
  portal_token
  write_kubeconfig "$PORTAL_KC" paved-portal "$(cat "$PORTAL_TOKEN")"
  write_env
  START_DONE=1
  trap - EXIT INT TERM
  log "cluster ready in $(($(now) - t0))s: $(api_url)"
  log "  admin kubeconfig:  $ADMIN_KC"
  log "  portal kubeconfig: $PORTAL_KC"
}

# ---------------------------------------------------------------------------------------------
# stop, status, kubeconfig, env
# ---------------------------------------------------------------------------------------------

cmd_stop() {
  local mode=graceful purge=0 a
  for a in "$@"; do
    case $a in
      --fast) mode=fast ;;
      --purge) purge=1 ;;
      *) die "stop: unknown option $a" 2 ;;
    esac
  done
  if [ ! -d "$CLUSTER_DIR" ]; then log "no cluster in $CLUSTER_DIR"; return 0; fi
  [ -e "$MARKER" ] || die "$CLUSTER_DIR is not a Paved cluster folder"
  lock_dir
  local t0; t0=$(now)
  stop_procs "$mode"
  rm -f "$CLUSTER_ENV"
  log "cluster stopped in $(($(now) - t0))s ($CLUSTER_DIR)"
  if [ $purge = 1 ]; then
    exec 9>&-
    rm -rf "$CLUSTER_DIR"
    log "removed $CLUSTER_DIR"
  fi
}

cmd_status() {
  local ok=0 n p
  printf '%-26s %s\n' cluster "$CLUSTER_DIR"
  if [ ! -e "$MARKER" ]; then echo "not created"; return 1; fi
  for n in "${PROCS[@]}"; do
    if p=$(pid_of "$n"); then printf '%-26s running (pid %s)\n' "$n" "$p"; else printf '%-26s stopped\n' "$n"; ok=1; fi
  done
  if load_ports && pid_of kube-apiserver >/dev/null; then
    printf '%-26s %s\n' url "$(api_url)"
    if apiserver_ready; then printf '%-26s ok\n' readyz; else printf '%-26s not ready\n' readyz; ok=1; fi
    for n in "${NODES[@]}"; do
      if node_ready "$n"; then printf '%-26s Ready\n' "node $n"; else printf '%-26s not ready\n' "node $n"; ok=1; fi
    done
  else
    ok=1
  fi
  [ -f "$CLUSTER_ENV" ] || ok=1
  if [ $ok = 0 ]; then echo "healthy"; else echo "not healthy"; fi
  return $ok
}

cmd_kubeconfig() {
  local f=$ADMIN_KC
  case ${1:-} in --portal) f=$PORTAL_KC ;; "") ;; *) die "kubeconfig: unknown option $1" 2 ;; esac
  [ -f "$f" ] || die "no kubeconfig at $f: run '$0 start' first"
  echo "$f"
}

cmd_env() {
  [ -f "$CLUSTER_ENV" ] || die "no $CLUSTER_ENV: run '$0 start' first"
  cat "$CLUSTER_ENV"
}

main() {
  local cmd=${1:-}
  [ $# -gt 0 ] && shift
  case $cmd in
    build) cmd_build "$@" ;;
    build-seconds) cmd_build_seconds ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    kubeconfig) cmd_kubeconfig "$@" ;;
    env) cmd_env "$@" ;;
    -h | --help | help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
    *) die "usage: $0 build [--check]|build-seconds|start [--unsafe-no-fsync]|stop [--fast] [--purge]|status|kubeconfig [--portal]|env" 2 ;;
  esac
}

main "$@"
