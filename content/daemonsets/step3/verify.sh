#!/bin/bash
# Step 3: DaemonSet ssd-monitor (nodeSelector disk=ssd); disk=ssd is on the first worker only, and the
# DaemonSet runs exactly one ready pod there.
info=$(k get ds ssd-monitor -o jsonpath='{.spec.template.spec.nodeSelector.disk}|{.status.desiredNumberScheduled}|{.status.numberReady}|{.metadata.uid}' 2>/dev/null) ||
  fail "데몬셋 ssd-monitor가 없습니다." "There is no DaemonSet named ssd-monitor."
IFS='|' read -r sel desired ready uid <<<"$info"
[ "$sel" = ssd ] ||
  fail "데몬셋 ssd-monitor의 파드 템플릿에 nodeSelector disk: ssd가 없습니다." "DaemonSet ssd-monitor's pod template has no nodeSelector disk: ssd."
w1=$(k get nodes -l '!node-role.kubernetes.io/control-plane' -o jsonpath='{.items[0].metadata.name}')
ssd=$(k get nodes -l disk=ssd -o jsonpath='{.items[*].metadata.name}')
[ -n "$ssd" ] ||
  fail "disk=ssd 레이블이 붙은 노드가 없습니다. 첫 번째 워커($w1)에 붙이세요." "No node has the label disk=ssd. Put it on the first worker ($w1)."
[ "$ssd" = "$w1" ] ||
  fail "disk=ssd는 첫 번째 워커($w1)에만 있어야 합니다. 지금 붙은 노드: $ssd" \
       "disk=ssd should be on the first worker ($w1) only. It is on: $ssd"
on=$(k get pods -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{$p := .}}{{range .metadata.ownerReferences}}{{if eq .uid "'"$uid"'"}}{{$p.spec.nodeName}}{{"\n"}}{{end}}{{end}}{{end}}{{end}}')
[ "${desired:-0}" = 1 ] && [ "$(grep -c . <<<"$on")" = 1 ] ||
  fail "데몬셋 ssd-monitor의 파드가 하나가 아닙니다 (DESIRED ${desired:-0}, 파드 $(grep -c . <<<"$on") 개). 잠시 뒤 다시 확인하세요." \
       "DaemonSet ssd-monitor does not have exactly one pod (DESIRED ${desired:-0}, pods $(grep -c . <<<"$on")). Check again in a moment."
[ "$on" = "$w1" ] ||
  fail "ssd-monitor 파드가 첫 번째 워커($w1)가 아니라 $on에 있습니다." "The ssd-monitor pod is on $on, not on the first worker ($w1)."
[ "${ready:-0}" = 1 ] ||
  fail "ssd-monitor 파드가 아직 준비되지 않았습니다." "The ssd-monitor pod is not ready yet."
exit 0
