#!/bin/bash
# Step 4: the first worker is schedulable again and, after a restart of web, runs some of its 6 ready pods.
w1=$(k get nodes -l '!node-role.kubernetes.io/control-plane' -o jsonpath='{.items[0].metadata.name}')
u=$(k get node "$w1" -o jsonpath='{.spec.unschedulable}')
[ "$u" != true ] ||
  fail "첫 번째 워커($w1)가 아직 스케줄링 불가입니다. kubectl uncordon $w1" "The first worker ($w1) is still unschedulable. Run: kubectl uncordon $w1"
info=$(k get deploy web -o jsonpath='{.spec.replicas}|{.status.replicas}|{.status.updatedReplicas}|{.status.readyReplicas}' 2>/dev/null) ||
  fail "디플로이먼트 web이 없습니다." "There is no Deployment named web."
IFS='|' read -r replicas total updated ready <<<"$info"
[ "${ready:-0}" = "$replicas" ] && [ "${updated:-0}" = "$replicas" ] && [ "${total:-0}" = "$replicas" ] ||
  fail "디플로이먼트 web이 아직 다시 시작하는 중입니다 (준비됨 ${ready:-0}/$replicas). kubectl rollout status deployment/web 으로 기다리세요." \
       "Deployment web is still restarting (ready ${ready:-0}/$replicas). Wait with: kubectl rollout status deployment/web"
n=$(k get pods -l app=web --field-selector "spec.nodeName=$w1,status.phase=Running" -o name | grep -c .)
[ "$n" -ge 1 ] ||
  fail "첫 번째 워커($w1)에 web 파드가 없습니다. uncordon만으로는 파드가 돌아오지 않습니다. kubectl rollout restart deployment/web 으로 새로 띄우세요." \
       "No web pod runs on the first worker ($w1). uncordon alone does not bring pods back: re-create them with kubectl rollout restart deployment/web"
exit 0
