#!/bin/bash
# Step 5: PDB web-pdb guards app=web (minAvailable 5 or maxUnavailable 1), and the first worker has been
# drained again: cordoned, no web pod on it, six ready web pods elsewhere.
info=$(k get pdb web-pdb -o jsonpath='{.spec.selector.matchLabels.app}|{.spec.minAvailable}|{.spec.maxUnavailable}|{.status.expectedPods}' 2>/dev/null) ||
  fail "PodDisruptionBudget web-pdb가 없습니다." "There is no PodDisruptionBudget named web-pdb."
IFS='|' read -r app minav maxun expected <<<"$info"
[ "$app" = web ] ||
  fail "web-pdb의 셀렉터가 app: web이 아닙니다." "web-pdb's selector is not app: web."
[ "$minav" = 5 ] || [ "$maxun" = 1 ] ||
  fail "web-pdb는 minAvailable: 5 (또는 maxUnavailable: 1)여야 합니다 (지금 minAvailable ${minav:-없음}, maxUnavailable ${maxun:-없음})." \
       "web-pdb should have minAvailable: 5 (or maxUnavailable: 1) (now minAvailable ${minav:-none}, maxUnavailable ${maxun:-none})."
[ "${expected:-0}" -ge 1 ] ||
  fail "web-pdb가 아직 web 파드를 세지 않았습니다. 잠시 뒤 다시 확인하세요." "web-pdb has not counted the web pods yet. Check again in a moment."
w1=$(k get nodes -l '!node-role.kubernetes.io/control-plane' -o jsonpath='{.items[0].metadata.name}')
u=$(k get node "$w1" -o jsonpath='{.spec.unschedulable}')
[ "$u" = true ] ||
  fail "첫 번째 워커($w1)가 drain되지 않았습니다 (스케줄링 가능 상태). kubectl drain $w1 --ignore-daemonsets --delete-emptydir-data" \
       "The first worker ($w1) has not been drained (it is schedulable). Run: kubectl drain $w1 --ignore-daemonsets --delete-emptydir-data"
n=$(k get pods -l app=web --field-selector "spec.nodeName=$w1" -o name | grep -c .)
[ "$n" = 0 ] ||
  fail "첫 번째 워커($w1)에 web 파드가 아직 $n 개 있습니다. drain이 끝나기를 기다리세요." \
       "$n web pods are still on the first worker ($w1). Wait for the drain to finish."
ready=$(k get deploy web -o jsonpath='{.status.readyReplicas}' 2>/dev/null)
[ "${ready:-0}" = 6 ] ||
  fail "디플로이먼트 web의 파드 6개가 아직 모두 준비되지 않았습니다 (${ready:-0}/6)." "Deployment web's six pods are not all ready yet (${ready:-0}/6)."
exit 0
