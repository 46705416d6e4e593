#!/bin/bash
# Step 3: the first worker is drained: cordoned, no web pod and no pod lonely left, web has 6 ready pods
# elsewhere, and the DaemonSet agent's pod is still there.
w1=$(k get nodes -l '!node-role.kubernetes.io/control-plane' -o jsonpath='{.items[0].metadata.name}')
u=$(k get node "$w1" -o jsonpath='{.spec.unschedulable}')
[ "$u" = true ] ||
  fail "첫 번째 워커($w1)가 스케줄링 불가 상태가 아닙니다. drain하면 노드가 cordon됩니다." \
       "The first worker ($w1) is not unschedulable. A drain cordons the node."
! k get pod lonely >/dev/null 2>&1 ||
  fail "파드 lonely가 아직 있습니다. kubectl drain $w1 --ignore-daemonsets --delete-emptydir-data --force" \
       "Pod lonely is still there. Run: kubectl drain $w1 --ignore-daemonsets --delete-emptydir-data --force"
# Live pods on the first worker: "NAME OWNER-KIND".
on=$(k get pods --field-selector "spec.nodeName=$w1" -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{.metadata.name}} {{range .metadata.ownerReferences}}{{.kind}}{{end}}{{"\n"}}{{end}}{{end}}')
left=$(grep -v ' DaemonSet$' <<<"$on" | grep . | cut -d' ' -f1 | tr '\n' ' ')
[ -z "$left" ] ||
  fail "첫 번째 워커($w1)에 데몬셋이 아닌 파드가 남아 있습니다: $left" "Pods other than DaemonSet pods are still on the first worker ($w1): $left"
ready=$(k get deploy web -o jsonpath='{.status.readyReplicas}' 2>/dev/null)
[ "${ready:-0}" = 6 ] ||
  fail "디플로이먼트 web의 파드 6개가 아직 모두 준비되지 않았습니다 (${ready:-0}/6). 레플리카셋이 다른 노드에 새로 만드는 중입니다." \
       "Deployment web's six pods are not all ready yet (${ready:-0}/6); its ReplicaSet is making them on the other node."
agent=$(k get pods -l app=agent --field-selector "spec.nodeName=$w1" -o jsonpath='{.items[*].status.phase}')
[ "$agent" = Running ] ||
  fail "첫 번째 워커($w1)의 agent 파드가 Running이 아닙니다. drain은 --ignore-daemonsets로 데몬셋 파드를 그대로 둡니다." \
       "The agent pod on the first worker ($w1) is not Running. With --ignore-daemonsets, drain leaves DaemonSet pods alone."
exit 0
