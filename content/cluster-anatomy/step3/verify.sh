#!/bin/bash
# Step 3: the static pod is gone (file removed) and the DaemonSet node-agent has a ready pod on every node.
cp=$(k get nodes -l node-role.kubernetes.io/control-plane -o jsonpath='{.items[0].metadata.name}')
[ -f /etc/kubernetes/manifests/static-web.yaml ] &&
  fail "/etc/kubernetes/manifests/static-web.yaml 이 아직 있습니다. 스태틱 파드를 없애려면 이 파일을 지우세요." \
       "/etc/kubernetes/manifests/static-web.yaml is still there. Delete the file to remove the static pod."
left=$(k get pods -A --field-selector "metadata.name=static-web-$cp" -o name)
[ -z "$left" ] ||
  fail "파일은 지웠지만 파드(static-web-$cp)가 아직 남아 있습니다. 잠시 기다려 보세요." \
       "The file is gone but pod static-web-$cp is still there. Give the kubelet a moment."
k get daemonset node-agent >/dev/null 2>&1 ||
  fail "데몬셋 node-agent가 없습니다." "There is no DaemonSet named node-agent."
nodes=$(k get nodes -o name | wc -l)
read -r desired ready updated < <(k get daemonset node-agent -o jsonpath='{.status.desiredNumberScheduled} {.status.numberReady} {.status.updatedNumberScheduled}')
[ "${desired:-0}" -ge "$nodes" ] ||
  fail "node-agent는 노드 $nodes 대 중 ${desired:-0} 대에만 배치됩니다. 컨트롤 플레인의 테인트를 견디는 톨러레이션을 넣으세요." \
       "node-agent is placed on only ${desired:-0} of $nodes nodes. Add a toleration for the control plane's taint."
[ "${ready:-0}" -ge "$nodes" ] && [ "${updated:-0}" -ge "$nodes" ] ||
  fail "node-agent 파드가 아직 모든 노드에서 Ready가 아닙니다 (Ready: ${ready:-0}/$nodes)." \
       "node-agent's pods are not Ready on every node yet (ready: ${ready:-0}/$nodes)."
exit 0
