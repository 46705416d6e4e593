#!/bin/bash
# Step 1: a pod named "where" runs nginx on a worker node.
k get pod where >/dev/null 2>&1 ||
  fail "파드 where가 없습니다. kubectl run where --image=nginx 로 만드세요." \
       "There is no pod named where. Create it with: kubectl run where --image=nginx"
image=$(k get pod where -o jsonpath='{.spec.containers[0].image}')
case $image in
  nginx | nginx:* | */nginx | */nginx:*) ;;
  *) fail "파드 where의 이미지가 nginx가 아닙니다 (지금: $image)." "Pod where does not run the nginx image (it runs $image)." ;;
esac
phase=$(k get pod where -o jsonpath='{.status.phase}')
[ "$phase" = Running ] ||
  fail "파드 where가 아직 Running 상태가 아닙니다 (지금: $phase)." "Pod where is not Running yet (now: $phase)."
node=$(k get pod where -o jsonpath='{.spec.nodeName}')
if k get node "$node" -o jsonpath='{.metadata.labels}' | grep -q '"node-role.kubernetes.io/control-plane"'; then
  fail "파드 where가 컨트롤 플레인($node)에서 돌고 있습니다. 워커 노드에 있어야 합니다." \
       "Pod where runs on the control plane ($node); it should be on a worker."
fi
exit 0
