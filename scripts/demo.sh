#!/usr/bin/env bash
# make demo: a local cluster, the nginx Deployment applied, its pods watched from Pending to Running, then ideas.
# Assumes `make build` ran (make demo does it). DEMO_DIR and DEMO_TIMEOUT (seconds) may be set.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dir="${DEMO_DIR:-.mk}"
timeout="${DEMO_TIMEOUT:-120}"
mk() { ./mkctl "$@" --dir "$dir"; }

bold() { if [ -t 1 ]; then printf '\033[1m%s\033[0m\n' "$*"; else printf '%s\n' "$*"; fi; }

bold "==> Starting the local cluster in $dir (3 store members, apiserver, controller-manager, scheduler, 3 nodes)"
./mkctl up --dir "$dir" --members "${DEMO_MEMBERS:-3}" --nodes "${DEMO_NODES:-3}"
mk status || true

bold "==> kubectl apply -f manifests/nginx-deployment.yaml"
mk apply -f manifests/nginx-deployment.yaml

bold "==> Its pods, until all are Running (or ${timeout}s)"
start=$(date +%s)
lines=0
while true; do
    table="$(mk get pods -l app=nginx -o wide 2>&1 || true)"
    if [ -t 1 ] && [ "$lines" -gt 0 ]; then
        printf '\033[%dA\033[J' "$lines"   # redraw the table in place
    fi
    elapsed=$(( $(date +%s) - start ))
    printf '%s\n(%ss)\n' "$table" "$elapsed"
    lines=$(( $(printf '%s\n' "$table" | wc -l) + 1 ))
    total=$(printf '%s\n' "$table" | tail -n +2 | grep -c . || true)
    running=$(printf '%s\n' "$table" | tail -n +2 | grep -c ' Running ' || true)
    if [ "$total" -ge 3 ] && [ "$running" -eq "$total" ]; then
        bold "All $running pods are Running."
        break
    fi
    if [ "$elapsed" -ge "$timeout" ]; then
        bold "Not all pods are Running after ${timeout}s; look at: ./mkctl describe pods -l app=nginx --dir $dir, and the logs in $dir/logs/"
        break
    fi
    if [ -t 1 ]; then sleep 1; else sleep 2; fi
done

d=""; [ "$dir" = ".mk" ] || d=" --dir $dir"
cat <<TRY

Next things to try (mkctl finds the cluster in $dir; kubectl works too: kubectl --kubeconfig $dir/kubeconfig …):
  ./mkctl scale deployment/nginx-deployment --replicas 10$d        # and back: --replicas 2
  ./mkctl get pods -o wide -w$d
  kubectl --kubeconfig $dir/kubeconfig set image deployment/nginx-deployment nginx=nginx:1.27   # a rolling update
  ./mkctl rollout status deployment/nginx-deployment$d
  ./mkctl rollout history deployment/nginx-deployment$d
  ./mkctl rollout undo deployment/nginx-deployment$d
  ./mkctl rollout restart deployment/nginx-deployment$d
  ./mkctl apply -f manifests/too-big-deployment.yaml$d; ./mkctl describe pods -l app=too-big$d   # stays Pending: why
  ./mkctl apply -f manifests/web-app-deployment.yaml$d
  ./mkctl etcd get /registry --prefix --keys-only$d                # what the apiserver stored
  ./mkctl status$d; kill <pid of a store member>; ./mkctl status$d   # the store elects another leader
  ./mkctl down$d                                                    # stop everything; ./mkctl up$d brings it back with its data
TRY
