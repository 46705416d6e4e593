#!/bin/bash
# Step 2: DaemonSet node-agent tolerates the control plane's taint and runs one ready, up-to-date pod on
# every node, the control plane included.
info=$(k get ds node-agent -o jsonpath='{.status.desiredNumberScheduled}|{.status.numberReady}|{.status.updatedNumberScheduled}|{.metadata.uid}' 2>/dev/null) ||
  fail "데몬셋 node-agent가 없습니다." "There is no DaemonSet named node-agent."
IFS='|' read -r desired ready updated uid <<<"$info"
tol=$(k get ds node-agent -o jsonpath='{range .spec.template.spec.tolerations[*]}{.key}|{.operator}|{.effect}{"\n"}{end}')
grep -Eq '^node-role.kubernetes.io/control-plane\|[^|]*\|(NoSchedule)?$|^\|Exists\|(NoSchedule)?$' <<<"$tol" ||
  fail "데몬셋 node-agent의 파드 템플릿에 node-role.kubernetes.io/control-plane:NoSchedule 테인트를 견디는 톨러레이션이 없습니다." \
       "DaemonSet node-agent's pod template has no toleration for the taint node-role.kubernetes.io/control-plane:NoSchedule."
nodes=$(k get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')
nn=$(grep -c . <<<"$nodes")
[ "${desired:-0}" = "$nn" ] ||
  fail "데몬셋 node-agent가 노드 $nn 개 모두에 파드를 두려 하지 않습니다 (DESIRED ${desired:-0})." \
       "DaemonSet node-agent does not aim at all $nn nodes (DESIRED ${desired:-0})."
[ "${ready:-0}" = "$nn" ] && [ "${updated:-0}" = "$nn" ] ||
  fail "데몬셋 node-agent의 파드가 아직 모두 새 템플릿으로 준비되지 않았습니다 (준비됨 ${ready:-0}, 새 템플릿 ${updated:-0}, 노드 $nn). kubectl rollout status daemonset/node-agent 로 기다리세요." \
       "DaemonSet node-agent's pods are not all ready on the new template yet (ready ${ready:-0}, updated ${updated:-0}, nodes $nn). Wait with: kubectl rollout status daemonset/node-agent"
cp=$(k get nodes -l node-role.kubernetes.io/control-plane -o jsonpath='{.items[0].metadata.name}')
on=$(k get pods -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{$p := .}}{{range .metadata.ownerReferences}}{{if eq .uid "'"$uid"'"}}{{$p.spec.nodeName}}{{"\n"}}{{end}}{{end}}{{end}}{{end}}')
grep -qx "$cp" <<<"$on" ||
  fail "컨트롤 플레인($cp)에 node-agent 파드가 없습니다." "The control plane ($cp) has no node-agent pod."
exit 0
