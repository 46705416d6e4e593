#!/bin/bash
# Step 2: the first worker is cordoned; web has 6 ready pods and the newest ones (made after the cordon)
# are not on the first worker.
w1=$(k get nodes -l '!node-role.kubernetes.io/control-plane' -o jsonpath='{.items[0].metadata.name}')
u=$(k get node "$w1" -o jsonpath='{.spec.unschedulable}')
[ "$u" = true ] ||
  fail "첫 번째 워커($w1)가 cordon되지 않았습니다. kubectl cordon $w1" "The first worker ($w1) is not cordoned. Run: kubectl cordon $w1"
info=$(k get deploy web -o jsonpath='{.spec.replicas}|{.status.readyReplicas}' 2>/dev/null) ||
  fail "디플로이먼트 web이 없습니다." "There is no Deployment named web."
IFS='|' read -r replicas ready <<<"$info"
[ "$replicas" = 6 ] ||
  fail "디플로이먼트 web의 레플리카 수가 6이 아닙니다 (지금 $replicas)." "Deployment web's replica count is not 6 (it is $replicas)."
[ "${ready:-0}" = 6 ] ||
  fail "디플로이먼트 web의 파드 6개가 아직 모두 준비되지 않았습니다 (${ready:-0}/6)." "Deployment web's six pods are not all ready yet (${ready:-0}/6)."
# web pods, oldest first: "CREATED NODE".
pods=$(k get pods -l app=web --sort-by=.metadata.creationTimestamp -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{.metadata.creationTimestamp}} {{.spec.nodeName}}{{"\n"}}{{end}}{{end}}')
newest=$(tail -n 1 <<<"$pods" | cut -d' ' -f1)
onw1=$(grep "^$newest " <<<"$pods" | grep -c " $w1$")
[ "$onw1" = 0 ] ||
  fail "가장 새로 만든 web 파드가 첫 번째 워커($w1)에 있습니다. cordon한 다음에 레플리카를 늘려야 새 파드가 다른 노드로 갑니다." \
       "The newest web pod is on the first worker ($w1). Scale up after cordoning, so that new pods go to the other node."
exit 0
