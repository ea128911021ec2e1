# shellcheck shell=bash
# Bootstrap steps shared by every ./paved command. Sourced, not run.
#
# Each step installs what the machine lacks into the git-ignored $PAVED_HOME and is
# a no-op when what it needs is already there, so a second run costs seconds.
# Nothing here names a registry: npm, Yarn and pip use the user's own configuration.

PAVED_NODE_MAJOR=22
PAVED_YARN_VERSION=4.13.0

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() {
  printf '\033[1;31merror:\033[0m %s\n' "$*" >&2
  exit 1
}

# Runs a step and, when it fails, shows the tail of its log instead of hundreds of lines.
run_logged() {
  local name=$1 log="$PAVED_HOME/logs/$1.log"
  shift
  mkdir -p "$PAVED_HOME/logs"
  if ! "$@" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "$name failed (full log: $log)"
  fi
}

node_major() { "${1:-node}" --version 2>/dev/null | sed -n 's/^v\([0-9]*\)\..*/\1/p'; }

# Node 22 or 24 from PATH when present; otherwise Node 22 from the npm registry as the
# platform's `node-<os>-<arch>` package (it also carries the headers that native
# modules build against, so node-gyp never downloads them).
ensure_node() {
  local major
  major=$(node_major node)
  if [ "$major" = 22 ] || [ "$major" = 24 ]; then
    return
  fi
  local os arch pkg dir
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) die "unsupported OS $(uname -s): install Node 22 yourself" ;; esac
  case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) die "unsupported CPU $(uname -m): install Node 22 yourself" ;; esac
  pkg="node-$os-$arch"
  # Each tool has a prefix of its own: `npm install --no-save` into a shared prefix
  # prunes whatever an earlier --no-save install put there.
  dir="$PAVED_HOME/tools/node/node_modules/$pkg"
  if [ "$(node_major "$dir/bin/node")" != "$PAVED_NODE_MAJOR" ]; then
    command -v npm >/dev/null || die "Node ${major:-is missing} and there is no npm to fetch Node $PAVED_NODE_MAJOR with: install Node 22 or 24"
    say "Installing Node $PAVED_NODE_MAJOR from the npm registry (system Node is ${major:-missing})"
    run_logged install-node npm install --no-save --no-audit --no-fund --prefix "$PAVED_HOME/tools/node" "$pkg@$PAVED_NODE_MAJOR"
  fi
  export PATH="$dir/bin:$PATH"
  export npm_config_nodedir="$dir"
}

# Yarn 4 on PATH when present; otherwise @yarnpkg/cli-dist from the npm registry behind
# a small wrapper. Corepack is not used: as shipped it cannot fetch Yarn 4 here.
ensure_yarn() {
  case "$(yarn --version 2>/dev/null)" in 4.*) return ;; esac
  local js="$PAVED_HOME/tools/yarn/node_modules/@yarnpkg/cli-dist/bin/yarn.js"
  if [ ! -f "$js" ]; then
    say "Installing Yarn $PAVED_YARN_VERSION from the npm registry"
    run_logged install-yarn npm install --no-save --no-audit --no-fund --prefix "$PAVED_HOME/tools/yarn" "@yarnpkg/cli-dist@$PAVED_YARN_VERSION"
  fi
  mkdir -p "$PAVED_HOME/tools/bin"
  printf '#!/usr/bin/env bash\nexec node "%s" "$@"\n' "$js" >"$PAVED_HOME/tools/bin/yarn"
  chmod +x "$PAVED_HOME/tools/bin/yarn"
  export PATH="$PAVED_HOME/tools/bin:$PATH"
}

# Prints a fingerprint of a set of files, to know whether a cached step is still valid.
fingerprint() { cat "$@" 2>/dev/null | cksum | cut -d' ' -f1; }

ensure_dependencies() {
  local stamp="$PAVED_HOME/stamps/yarn-install" want
  want=$(fingerprint yarn.lock package.json packages/*/package.json plugins/*/package.json)
  if [ -d node_modules ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return
  fi
  say "Installing dependencies with yarn (first run: about 4 minutes)"
  local t0=$SECONDS
  run_logged yarn-install yarn install --immutable
  mkdir -p "$(dirname "$stamp")"
  echo "$want" >"$stamp"
  say "Dependencies installed in $((SECONDS - t0)) s"
}

# A virtualenv with mkdocs and the techdocs-core plugin, for TechDocs built locally.
# --copies: TechDocs refuses to build a docs folder holding symlinks that lead outside
# it, and the portal's own docs folder is the repository root, where .paved/ lives.
ensure_mkdocs() {
  local venv="$PAVED_HOME/venv" stamp="$PAVED_HOME/stamps/mkdocs" want
  want="copies-$(fingerprint requirements-docs.txt)"
  if [ ! -x "$venv/bin/mkdocs" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    command -v python3 >/dev/null || die "python3 is needed for TechDocs (mkdocs)"
    say "Installing mkdocs-techdocs-core into $venv"
    rm -rf "$venv"
    run_logged venv python3 -m venv --copies "$venv"
    run_logged pip-install "$venv/bin/pip" install --disable-pip-version-check -q -r requirements-docs.txt
    mkdir -p "$(dirname "$stamp")"
    echo "$want" >"$stamp"
  fi
  export PATH="$venv/bin:$PATH"
}

# Schemathesis, the property-based fuzzer `./paved test` runs against every backend's
# OpenAPI spec, in the same virtualenv (ensure_mkdocs makes it anew when
# requirements-docs.txt changes; then this installs it again).
ensure_fuzzer() {
  ensure_mkdocs
  local venv="$PAVED_HOME/venv" stamp="$PAVED_HOME/stamps/fuzzer" want
  want=$(fingerprint requirements-fuzz.txt)
  if [ ! -x "$venv/bin/schemathesis" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing schemathesis into $venv"
    run_logged pip-install-fuzz "$venv/bin/pip" install --disable-pip-version-check -q -r requirements-fuzz.txt
    mkdir -p "$(dirname "$stamp")"
    echo "$want" >"$stamp"
  fi
}

# Debian packages, installed only when missing and only where we may (root + apt-get).
apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    die "missing: $*. Install it with your package manager (Debian: apt-get install $*)"
  fi
  say "Installing $* with apt-get"
  if [ ! -f "$PAVED_HOME/stamps/apt-updated" ]; then
    run_logged apt-update apt-get update
    mkdir -p "$PAVED_HOME/stamps" && touch "$PAVED_HOME/stamps/apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive run_logged apt-install apt-get install -y --no-install-recommends "$@"
}

ensure_chromium() {
  PAVED_CHROMIUM=${PAVED_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
  if [ -z "$PAVED_CHROMIUM" ]; then
    apt_install chromium
    PAVED_CHROMIUM=$(command -v chromium)
  fi
  export PAVED_CHROMIUM
}

# OpenLDAP's server and tools, for the directory-sync tests: each test file starts a
# private slapd of its own (startTestSlapd in @paved/test-utils), so nothing runs here.
# The package's own instance is never started (no systemd), and noninteractive keeps
# its debconf questions from waiting for an answer.
ensure_slapd() {
  if [ ! -x /usr/sbin/slapd ] || ! command -v ldapmodify >/dev/null; then
    apt_install slapd ldap-utils
    [ -x /usr/sbin/slapd ] || die "slapd installed, but /usr/sbin/slapd is missing"
  fi
}

ensure_postgres() {
  PAVED_PG_BIN=${PAVED_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
  if [ -z "$PAVED_PG_BIN" ] && command -v pg_ctl >/dev/null; then
    PAVED_PG_BIN=$(dirname "$(command -v pg_ctl)")
  fi
  if [ -z "$PAVED_PG_BIN" ]; then
    apt_install postgresql
    PAVED_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  export PAVED_PG_BIN
}

# Everything `start` needs.
bootstrap_portal() {
  ensure_node
  ensure_yarn
  ensure_dependencies
  ensure_mkdocs
}
