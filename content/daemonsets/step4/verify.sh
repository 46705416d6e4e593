#!/bin/bash
# Step 4: DaemonSet log-collector mounts the node's /var/log (hostPath) and runs a ready pod on every node,
# the control plane included; its pods' logs show node log files.
info=$(k get ds log-collector -o jsonpath='{.status.desiredNumberScheduled}|{.status.numberReady}|{.metadata.uid}' 2>/dev/null) ||
  fail "데몬셋 log-collector가 없습니다." "There is no DaemonSet named log-collector."
IFS='|' read -r desired ready uid <<<"$info"
# "VOLUME PATH" for each hostPath volume, "MOUNT VOLUME PATH" for each volume mount.
vols=$(k get ds log-collector -o go-template='{{range .spec.template.spec.volumes}}{{if .hostPath}}V {{.name}} {{.hostPath.path}}{{"\n"}}{{end}}{{end}}{{range .spec.template.spec.containers}}{{range .volumeMounts}}M {{.name}} {{.mountPath}}{{"\n"}}{{end}}{{end}}')
hp=$(grep -E '^V [^ ]+ /var/log(/[^ ]*)?/?$' <<<"$vols" | head -n 1 | cut -d' ' -f2)
[ -n "$hp" ] ||
  fail "데몬셋 log-collector에 노드의 /var/log를 가리키는 hostPath 볼륨이 없습니다." \
       "DaemonSet log-collector has no hostPath volume for the node's /var/log."
grep -q "^M $hp " <<<"$vols" ||
  fail "log-collector의 컨테이너가 hostPath 볼륨($hp)을 마운트하지 않습니다." "log-collector's container does not mount the hostPath volume ($hp)."
nn=$(k get nodes -o name | grep -c .)
[ "${desired:-0}" = "$nn" ] ||
  fail "데몬셋 log-collector가 노드 $nn 개 모두에 파드를 두려 하지 않습니다 (DESIRED ${desired:-0}). 컨트롤 플레인의 로그도 모으려면 톨러레이션이 필요합니다." \
       "DaemonSet log-collector does not aim at all $nn nodes (DESIRED ${desired:-0}). Collecting the control plane's logs too takes a toleration."
[ "${ready:-0}" = "$nn" ] ||
  fail "데몬셋 log-collector의 파드가 아직 모두 준비되지 않았습니다 (${ready:-0}/$nn)." \
       "DaemonSet log-collector's pods are not all ready yet (${ready:-0}/$nn)."
w1=$(k get nodes -l '!node-role.kubernetes.io/control-plane' -o jsonpath='{.items[0].metadata.name}')
pod=$(k get pods --field-selector "spec.nodeName=$w1" -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{$p := .}}{{range .metadata.ownerReferences}}{{if eq .uid "'"$uid"'"}}{{$p.metadata.name}}{{"\n"}}{{end}}{{end}}{{end}}{{end}}' | head -n 1)
[ -n "$pod" ] ||
  fail "첫 번째 워커($w1)에 log-collector 파드가 없습니다." "The first worker ($w1) has no log-collector pod."
k logs "$pod" --limit-bytes=8192 2>/dev/null | grep -q '/var/log/' ||
  fail "첫 번째 워커의 수집기($pod) 로그에 노드의 로그 파일(/var/log/...)이 보이지 않습니다. 컨테이너가 /var/log/containers의 파일을 읽어 출력하나요?" \
       "The log of the collector on the first worker ($pod) shows no node log file (/var/log/...). Does the container read and print the files in /var/log/containers?"
exit 0
