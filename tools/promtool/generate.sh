#!/usr/bin/env bash
# Regenerates tools/promtool/go.mod+go.sum, the wrapper module scripts/promtool.sh builds
# promtool from, for PROMETHEUS_MODULE_VERSION in versions.env. Run it only when bumping the
# version; commit the result. It needs `go` and the Go module proxy; nothing is built here.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC1091 # versions.env: PROMETHEUS_MODULE_VERSION
. "$HERE/versions.env"
if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then PATH=/usr/local/go/bin:$PATH; else echo "generate.sh: go not found" >&2; exit 3; fi
fi

cd "$HERE"
# An empty go.mod, so no stale require survives a bump.
rm -f go.mod go.sum
go mod init paved/tools/promtool >/dev/null 2>&1
go get -tool "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_MODULE_VERSION"
# The same language version (and so GODEBUG defaults) as upstream's own build.
UP=$(go mod download -json "github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
go mod edit -go="$(sed -n 's/^go //p' "$UP")"
sed -n 's/^godebug \(.*\)$/\1/p' "$UP" | while read -r kv; do go mod edit -godebug="$kv"; done
go mod tidy
echo "done; commit tools/promtool/go.mod and tools/promtool/go.sum"
