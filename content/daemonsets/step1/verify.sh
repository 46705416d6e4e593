#!/bin/bash
# Step 1: DaemonSet node-agent (kubeplay/hello) has one ready pod on each worker, one pod per node.
info=$(k get ds node-agent -o jsonpath='{.spec.template.spec.containers[0].image}|{.status.desiredNumberScheduled}|{.status.numberReady}|{.metadata.uid}' 2>/dev/null) ||
  fail "데몬셋 node-agent가 없습니다." "There is no DaemonSet named node-agent."
IFS='|' read -r image desired ready uid <<<"$info"
[[ $image == kubeplay/hello* ]] ||
  fail "데몬셋 node-agent의 이미지가 kubeplay/hello:v1이 아닙니다 (지금: $image)." "DaemonSet node-agent's image is not kubeplay/hello:v1 (it is $image)."
workers=$(k get nodes -l '!node-role.kubernetes.io/control-plane' -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')
nw=$(grep -c . <<<"$workers")
[ "${desired:-0}" -ge "$nw" ] ||
  fail "데몬셋 node-agent가 워커 $nw 개 모두에 파드를 두려 하지 않습니다 (DESIRED ${desired:-0}). 노드 셀렉터를 쓰지 않았나요?" \
       "DaemonSet node-agent does not aim at all $nw workers (DESIRED ${desired:-0}). Did you set a node selector?"
[ "${ready:-0}" = "$desired" ] ||
  fail "데몬셋 node-agent의 파드가 아직 모두 준비되지 않았습니다 (${ready:-0}/$desired)." \
       "DaemonSet node-agent's pods are not all ready yet (${ready:-0}/$desired)."
nodes=$(k get pods -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{$p := .}}{{range .metadata.ownerReferences}}{{if eq .uid "'"$uid"'"}}{{$p.spec.nodeName}}{{"\n"}}{{end}}{{end}}{{end}}{{end}}')
for w in $workers; do
  grep -qx "$w" <<<"$nodes" ||
    fail "워커 $w에 node-agent 파드가 없습니다." "Worker $w has no node-agent pod."
done
[ -z "$(sort <<<"$nodes" | uniq -d)" ] ||
  fail "한 노드에 node-agent 파드가 둘 이상 있습니다. 잠시 뒤 다시 확인하세요." "A node has more than one node-agent pod. Check again in a moment."
exit 0
