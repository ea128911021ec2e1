#!/usr/bin/env bash
# scripts/test-cluster.sh — a throwaway Kubernetes control plane for one test run.
#
#   eval "$(scripts/test-cluster.sh up <dir>)"   start an instance whose state lives in <dir>
#                                                  and export PAVED_TEST_KUBECONFIG and
#                                                  PAVED_TEST_PORTAL_KUBECONFIG for the tests
#   scripts/test-cluster.sh down <dir>            SIGKILL it and delete <dir>
#
# It is scripts/cluster.sh with PAVED_CLUSTER_DIR=<dir>, so it runs beside a developer's own
# cluster (other ports, other folder). etcd runs with --unsafe-no-fsync: the data is thrown
# away anyway, and fsyncs are the slowest part of etcd on small disks.
# Only the export lines go to stdout (for eval); progress goes to stderr.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { echo "usage: $0 up|down <dir>" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2
case $dir in /*) ;; *) dir=$PWD/$dir ;; esac

case $cmd in
  up)
    PAVED_CLUSTER_DIR=$dir "$HERE/cluster.sh" start --unsafe-no-fsync >&2
    admin=$(PAVED_CLUSTER_DIR=$dir "$HERE/cluster.sh" kubeconfig)
    portal=$(PAVED_CLUSTER_DIR=$dir "$HERE/cluster.sh" kubeconfig --portal)
    printf 'export PAVED_TEST_KUBECONFIG=%q;\n' "$admin"
    printf 'export PAVED_TEST_PORTAL_KUBECONFIG=%q;\n' "$portal"
    ;;
  down)
    PAVED_CLUSTER_DIR=$dir "$HERE/cluster.sh" stop --fast --purge >&2
    ;;
  *) usage ;;
esac
