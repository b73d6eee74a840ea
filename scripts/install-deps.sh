#!/usr/bin/env bash
# Installs the system packages MiniKube needs, only when something is missing:
#   librocksdb-dev  the store's storage engine (our P/Invoke binding loads librocksdb.so.7.8)
#   etcd-server     a real etcd 3.4, the reference the store is tested and benchmarked against
#   etcd-client     the real etcdctl 3.4, used as a client in tests
# kubectl is expected at /usr/bin/kubectl (issue 4 onward), the .NET SDK on PATH.
set -euo pipefail

missing=()
[ -e /usr/lib/x86_64-linux-gnu/librocksdb.so.7.8 ] || ldconfig -p 2>/dev/null | grep -q 'librocksdb\.so\.7\.8' || missing+=(librocksdb-dev)
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)

if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET SDK (dotnet) is not on PATH; install .NET 10 first" >&2
    exit 1
fi
