#!/bin/bash
# Step 2: a static pod "static-web" runs from /etc/kubernetes/manifests on the control plane.
cp=$(k get nodes -l node-role.kubernetes.io/control-plane -o jsonpath='{.items[0].metadata.name}')
[ -n "$cp" ] || fail "컨트롤 플레인 노드를 찾지 못했습니다." "Could not find the control-plane node."
[ -f /etc/kubernetes/manifests/static-web.yaml ] ||
  fail "컨트롤 플레인 노드에 /etc/kubernetes/manifests/static-web.yaml 파일이 없습니다." \
       "There is no file /etc/kubernetes/manifests/static-web.yaml on the control-plane node."
pod="static-web-$cp"
ns=$(k get pods -A --field-selector "metadata.name=$pod" -o jsonpath='{.items[0].metadata.namespace}')
[ -n "$ns" ] ||
  fail "미러 파드($pod)가 아직 보이지 않습니다. 매니페스트의 metadata.name이 static-web인지 확인하고 잠시 기다려 보세요." \
       "The mirror pod $pod does not show yet. Check that the manifest says metadata.name: static-web, and give it a moment."
src=$(k get pod -n "$ns" "$pod" -o jsonpath='{.metadata.annotations.kubernetes\.io/config\.source}')
[ "$src" = file ] ||
  fail "이 파드($pod)는 매니페스트 파일에서 온 스태틱 파드가 아닙니다 (kubectl로 만든 파드 같습니다)." \
       "$pod is not a static pod from a manifest file (it looks like a pod made with kubectl)."
phase=$(k get pod -n "$ns" "$pod" -o jsonpath='{.status.phase}')
[ "$phase" = Running ] ||
  fail "스태틱 파드($pod)가 아직 Running이 아닙니다 (지금: ${phase:-알 수 없음})." \
       "The static pod $pod is not Running yet (now: ${phase:-unknown})."
exit 0
