#!/bin/bash
# Step 5: a node carries disk=ssd, and pod "fast" (nodeSelector disk=ssd) runs on it.
k get pod fast >/dev/null 2>&1 ||
  fail "파드 fast가 없습니다." "There is no pod named fast."
sel=$(k get pod fast -o jsonpath='{.spec.nodeSelector.disk}')
[ "$sel" = ssd ] ||
  fail "파드 fast의 nodeSelector에 disk: ssd가 없습니다." "Pod fast has no nodeSelector disk: ssd."
ssd=$(k get nodes -l disk=ssd -o name)
[ -n "$ssd" ] ||
  fail "disk=ssd 레이블이 붙은 노드가 없습니다. 파드 fast는 그런 노드가 생겨야 배치됩니다." \
       "No node has the label disk=ssd; pod fast can only be placed on such a node."
node=$(k get pod fast -o jsonpath='{.spec.nodeName}')
[ -n "$node" ] ||
  fail "파드 fast가 아직 어느 노드에도 배치되지 않았습니다. kubectl describe pod fast 의 Events를 보세요." \
       "Pod fast is not placed on any node yet. Read the Events in: kubectl describe pod fast"
grep -qx "node/$node" <<<"$ssd" ||
  fail "파드 fast가 disk=ssd가 없는 $node 노드에 있습니다." "Pod fast is on node $node, which has no disk=ssd label."
phase=$(k get pod fast -o jsonpath='{.status.phase}')
[ "$phase" = Running ] ||
  fail "파드 fast가 아직 Running이 아닙니다 (지금: $phase)." "Pod fast is not Running yet (now: $phase)."
exit 0
