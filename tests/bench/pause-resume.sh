#!/usr/bin/env bash
# pause-resume.sh ID SECONDS [restart]: pause kind cluster ID's nodes for SECONDS, unpause them, and
# print the nodes' status every half second for 30 s. With "restart", restart each node's kubelet
# right after the unpause, as provisioner/local.Resume does. Shows why Resume restarts the kubelets:
# without it the nodes stay NotReady until the kubelets' next status report (~20-25 s).
set -euo pipefail
id=$1 secs=$2 restart=${3:-}
cp=kp-$id-control-plane
nodes=$(docker ps --format '{{.Names}}' --filter "name=^kp-$id-")
docker pause $nodes >/dev/null
sleep "$secs"
t0=$(date +%s.%N)
docker unpause $nodes >/dev/null
if [[ $restart == restart ]]; then
  for n in $nodes; do docker exec "$n" systemctl restart kubelet & done
  wait
fi
while :; do
  now=$(echo "$(date +%s.%N) - $t0" | bc)
  st=$(docker exec "$cp" kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes --no-headers 2>/dev/null | awk '{printf "%s=%s ", $1, $2}')
  printf '%6.1fs %s\n' "$now" "$st"
  (( $(echo "$now > 30" | bc) )) && break
  sleep 0.5
done
