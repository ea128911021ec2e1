#!/usr/bin/env bash
# scripts/backend-bundle.sh — the production backend bundle, built as the Dockerfile builds it,
# once per state of the sources, for the tests that start Paved as it runs in production
# (packages/backend/src/production/, backendBundleDir in @paved/test-utils).
#
#   scripts/backend-bundle.sh          build unless built, then print the bundle directory
#   scripts/backend-bundle.sh key      print the source key only
#
# The directory, $PAVED_HOME/bundle/<key>/, is laid out like the image's /app: the backend
# (run as `node packages/backend --config app-config.yaml --config app-config.production.yaml`
# from that directory), the built frontend it serves, the production node_modules of
# `yarn workspaces focus --all --production` on the skeleton, and copies of the config files,
# docs/, examples/ and templates/ that the Dockerfile copies.
#
# <key> hashes the tracked sources (`git ls-files -s`) and the content of every modified or
# untracked (not ignored) file, so any change to the sources builds anew and an unchanged tree
# reuses the directory. One build at a time (flock): `yarn build:backend` writes the packages'
# dist/ in the working tree, and a second caller waits, then reuses the first one's result.
# Only the newest two bundles are kept. Progress goes to stderr, the directory to stdout.
#
# Environment: PAVED_HOME (default <repo>/.paved). A cold build takes several minutes on
# 2 cores (most of it the frontend); the production dependencies come from Yarn's global cache.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PAVED_HOME=${PAVED_HOME:-$REPO_ROOT/.paved}
case $PAVED_HOME in /*) ;; *) PAVED_HOME=$PWD/$PAVED_HOME ;; esac
BUNDLES=$PAVED_HOME/bundle
KEEP=2

log() { printf 'backend-bundle: %s\n' "$*" >&2; }
die() { printf 'backend-bundle: %s\n' "$1" >&2; exit "${2:-1}"; }
now() { date +%s; }

source_key() {
  cd "$REPO_ROOT"
  {
    git ls-files -s
    # Working-tree changes that `git ls-files -s` (the index) does not show: modified and
    # untracked files by content, deleted ones by name.
    git ls-files -z -m -o --exclude-standard | sort -zu | while IFS= read -r -d '' f; do
      if [ -f "$f" ]; then
        printf '%s %s\n' "$(git hash-object -- "$f")" "$f"
      else
        printf 'deleted %s\n' "$f"
      fi
    done
  } | sha256sum | cut -c1-16
}

# Keeps the newest $KEEP bundles (by the time they were completed), and always $1.
prune() {
  local keep=$1 d n=0
  # shellcheck disable=SC2012 # names are our own hex keys
  for d in $(ls -1t "$BUNDLES"/*/.complete 2>/dev/null | xargs -r -n1 dirname); do
    n=$((n + 1))
    if [ "$n" -gt "$KEEP" ] && [ "$d" != "$keep" ]; then
      log "removing old bundle $d"
      rm -rf "$d"
    fi
  done
  # Leftovers of interrupted builds (no .complete marker).
  for d in "$BUNDLES"/*.tmp.*; do
    [ -e "$d" ] && rm -rf "$d"
  done
  return 0
}

# For every native module (binding.gyp) of the bundle's node_modules: the build/ output of
# the same package at the same version in the repo's node_modules (same relative path, or
# hoisted to the top). A module the repo has not built stays without (e.g. optional
# cpu-features; better-sqlite3 is only loaded for SQLite, which production does not use).
copy_native_builds() {
  local target=$1
  (cd "$target" && find node_modules -name binding.gyp -not -path '*/test/*' -not -path '*/deps/*') |
    node -e '
      const fs = require("fs"), path = require("path");
      const [target, repo] = process.argv.slice(1);
      const version = dir => { try { return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version; } catch { return undefined; } };
      for (const gyp of fs.readFileSync(0, "utf8").split("\n").filter(Boolean)) {
        const rel = path.dirname(gyp);
        // The package: the part up to node_modules/<name> or node_modules/@scope/<name>.
        const m = rel.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)(\/.*)?$/);
        if (!m) continue;
        const [, pkg, inner = ""] = m;
        const name = pkg.replace(/^.*node_modules\//, "");
        const want = version(path.join(target, pkg));
        const from = [path.join(repo, pkg), path.join(repo, "node_modules", name)]
          .find(d => version(d) === want && fs.existsSync(path.join(d, inner, "build")));
        const dest = path.join(target, pkg, inner, "build");
        if (!from) { console.log(`native: no built ${name}@${want} in the repo; left unbuilt`); continue; }
        if (fs.existsSync(dest)) continue;
        fs.cpSync(path.join(from, inner, "build"), dest, { recursive: true });
        console.log(`native: ${name}@${want} build/ copied from ${path.relative(repo, from)}`);
      }
    ' "$target" "$REPO_ROOT"
}

build() {
  local key=$1 dir=$2 tmp t0 t1
  tmp=$dir.tmp.$$
  trap 'rm -rf "$tmp"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  t0=$(now)
  log "building the backend bundle for sources $key (yarn build:backend: backend, plugins and frontend)"
  local blog=$BUNDLES/build-$key.log
  # The same build as the Dockerfile's build stage. `yarn tsc` is not needed: the bundle
  # carries JavaScript only, and type errors are the tsc phase's business.
  if ! (cd "$REPO_ROOT" && yarn build:backend) >"$blog" 2>&1; then
    tail -n 40 "$blog" >&2
    die "yarn build:backend failed (full log: $blog)"
  fi
  t1=$(now)
  log "built in $((t1 - t0))s; installing production dependencies"
  mkdir -p "$tmp"
  # The Dockerfile's deps stage: the skeleton (package.json files) plus the root files yarn needs.
  cp "$REPO_ROOT/.yarnrc.yml" "$REPO_ROOT/package.json" "$REPO_ROOT/yarn.lock" \
    "$REPO_ROOT/backstage.json" "$tmp/"
  tar xzf "$REPO_ROOT/packages/backend/dist/skeleton.tar.gz" -C "$tmp"
  # Yarn's global cache (enableGlobalCache, shared with the repo's own install) holds every
  # package already, so this fetches nothing. Build scripts are skipped: node-gyp would
  # download Node's headers (no network here) and compile for minutes, while the repo's
  # own install has built the very same versions; their native output is copied instead.
  if ! (cd "$tmp" && YARN_ENABLE_IMMUTABLE_INSTALLS=false YARN_ENABLE_SCRIPTS=false yarn workspaces focus --all --production) >>"$blog" 2>&1; then
    tail -n 40 "$blog" >&2
    die "yarn workspaces focus --all --production failed (full log: $blog)"
  fi
  copy_native_builds "$tmp" >>"$blog" 2>&1 || die "copying native modules failed (full log: $blog)"
  log "production dependencies in $(($(now) - t1))s"
  # The runtime stage: the bundle over the skeleton, and the files the image copies.
  tar xzf "$REPO_ROOT/packages/backend/dist/bundle.tar.gz" -C "$tmp"
  (cd "$REPO_ROOT" && cp app-config.yaml app-config.production.yaml app-config.oidc.yaml \
    catalog-info.yaml mkdocs.yml "$tmp/" && cp -R docs examples templates "$tmp/")
  mkdir -p "$tmp/data/techdocs"
  touch "$tmp/.complete"
  mv "$tmp" "$dir"
  trap - EXIT INT TERM
  rm -f "$blog"
  log "bundle ready in $(($(now) - t0))s: $dir"
}

main() {
  case ${1:-} in
    key) source_key; return ;;
    '') ;;
    -h | --help | help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; return ;;
    *) die "usage: $0 [key]" 2 ;;
  esac
  command -v yarn >/dev/null || die "yarn is not on PATH (source the dev environment, or run through ./paved)" 3
  local key dir
  key=$(source_key)
  dir=$BUNDLES/$key
  mkdir -p "$BUNDLES"
  if [ ! -e "$dir/.complete" ]; then
    exec 8>"$BUNDLES/.build.lock"
    if ! flock -n 8; then
      log "another bundle build is running; waiting for it"
      flock 8
    fi
    # The sources as they are now (they may have changed while waiting), and built
    # meanwhile by the caller that held the lock?
    key=$(source_key)
    dir=$BUNDLES/$key
    if [ ! -e "$dir/.complete" ]; then
      rm -rf "$dir"
      build "$key" "$dir"
    fi
    prune "$dir"
    exec 8>&-
  else
    log "reusing $dir"
  fi
  echo "$dir"
}

main "$@"; exit $?
