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
