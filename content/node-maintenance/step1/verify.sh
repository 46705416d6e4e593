#!/bin/bash
# Step 1: Deployment web (4 ready nginx pods), DaemonSet agent (a ready pod on every worker) and the bare
# pod lonely (no owner) running on the first worker.
w1=$(k get nodes -l '!node-role.kubernetes.io/control-plane' -o jsonpath='{.items[0].metadata.name}')
info=$(k get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}|{.spec.replicas}|{.status.readyReplicas}' 2>/dev/null) ||
  fail "디플로이먼트 web이 없습니다." "There is no Deployment named web."
IFS='|' read -r image replicas ready <<<"$info"
[[ $image == nginx* ]] ||
  fail "디플로이먼트 web의 이미지가 nginx가 아닙니다 (지금: $image)." "Deployment web does not run nginx (it runs $image)."
[ "$replicas" = 4 ] ||
  fail "디플로이먼트 web의 레플리카 수가 4가 아닙니다 (지금 $replicas)." "Deployment web's replica count is not 4 (it is $replicas)."
[ "${ready:-0}" = 4 ] ||
  fail "디플로이먼트 web의 파드가 아직 모두 준비되지 않았습니다 (${ready:-0}/4)." "Deployment web's pods are not all ready yet (${ready:-0}/4)."
ds=$(k get ds agent -o jsonpath='{.status.desiredNumberScheduled}|{.status.numberReady}' 2>/dev/null) ||
  fail "데몬셋 agent가 없습니다." "There is no DaemonSet named agent."
IFS='|' read -r desired dready <<<"$ds"
nw=$(k get nodes -l '!node-role.kubernetes.io/control-plane' -o name | grep -c .)
[ "${desired:-0}" -ge "$nw" ] && [ "${dready:-0}" = "$desired" ] ||
  fail "데몬셋 agent의 파드가 워커 $nw 개 모두에서 준비되지 않았습니다 (${dready:-0}/${desired:-0})." \
       "DaemonSet agent does not have a ready pod on all $nw workers (${dready:-0}/${desired:-0})."
pod=$(k get pod lonely -o jsonpath='{.spec.nodeName}|{.status.phase}|{.metadata.ownerReferences}' 2>/dev/null) ||
  fail "파드 lonely가 없습니다." "There is no pod named lonely."
IFS='|' read -r node phase owners <<<"$pod"
[ -z "$owners" ] ||
  fail "파드 lonely에 주인(ownerReferences)이 있습니다. 컨트롤러 없이 파드 하나로 만드세요." \
       "Pod lonely has an owner (ownerReferences). Create it as a plain pod, without a controller."
[ "$node" = "$w1" ] ||
  fail "파드 lonely가 첫 번째 워커($w1)가 아니라 ${node:-어느 노드에도 없음}에 있습니다." \
       "Pod lonely is on ${node:-no node}, not on the first worker ($w1)."
[ "$phase" = Running ] ||
  fail "파드 lonely가 아직 Running이 아닙니다 (지금: $phase)." "Pod lonely is not Running yet (now: $phase)."
exit 0
