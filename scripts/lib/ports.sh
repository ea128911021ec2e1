# shellcheck shell=bash
# Loopback ports for the services ./paved starts (portal, Postgres, control plane). Sourced.

port_in_use() { (: </dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

# pick_port [TAKEN...]: prints a free port below Linux's ephemeral range (32768+), so
# outgoing connections never hold it, and not one of TAKEN: ports already chosen for
# processes that are not listening yet. (A list passed in, not a variable, because
# callers run this in $(...) subshells.)
pick_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 12000))
    case " $* " in *" $p "*) continue ;; esac
    port_in_use "$p" && continue
    echo "$p"
    return 0
  done
  echo "found no free port on 127.0.0.1" >&2
  return 1
}

# keep_or_pick_ports FILE WHAT REQUIRE VAR...: the ports of a server's last start (the
# VAR=port lines in FILE) when they are all free again, so that its URLs stay the same
# across restarts; otherwise a new free port for each VAR, written to FILE. REQUIRE=same
# fails instead of choosing new ones (a resumed server must come back where it was).
keep_or_pick_ports() {
  local file=$1 what=$2 require=$3 var p ok=yes chosen=()
  shift 3
  if [ -f "$file" ]; then
    # shellcheck disable=SC1090
    . "$file"
    for var in "$@"; do
      p=${!var:-}
      if [ -z "$p" ] || port_in_use "$p"; then ok=no; fi
    done
    [ "$ok" = yes ] && return 0
    [ "$require" = same ] && die "$what's ports of ${file%/*} are taken by another process"
  fi
  : >"$file.tmp"
  for var in "$@"; do
    # (The +-form: an empty array is "unbound" to set -u in the bash of macOS.)
    p=$(pick_port ${chosen[@]+"${chosen[@]}"}) || die "no free port for $what"
    chosen+=("$p")
    printf '%s=%s\n' "$var" "$p" >>"$file.tmp"
  done
  mv -f "$file.tmp" "$file"
}

# write_private_exports FILE NAME=VALUE...: `export NAME=VALUE` lines (shell-quoted) in
# FILE, readable by the user only (values may be passwords), replaced in one step.
write_private_exports() {
  local file=$1 pair
  shift
  (umask 077 && for pair in "$@"; do
    printf 'export %s=%q\n' "${pair%%=*}" "${pair#*=}"
  done >"$file.tmp") || return 1
  mv -f "$file.tmp" "$file"
}
