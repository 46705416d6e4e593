#!/bin/bash
# Step 2: ReplicaSet web (matchLabels app=web, 3 replicas) is back to 3 ready pods after one was deleted.
info=$(k get rs web -o jsonpath='{.metadata.uid}|{.spec.selector.matchLabels.app}|{.spec.replicas}|{.status.readyReplicas}' 2>/dev/null) ||
  fail "레플리카셋 web이 없습니다." "There is no ReplicaSet named web."
IFS='|' read -r uid sel replicas ready <<<"$info"
[ "$sel" = web ] ||
  fail "레플리카셋 web의 selector.matchLabels가 app: web이 아닙니다." "ReplicaSet web's selector.matchLabels is not app: web."
[ "$replicas" = 3 ] ||
  fail "레플리카셋 web의 레플리카 수가 3이 아닙니다 (지금 $replicas)." "ReplicaSet web's replica count is not 3 (it is $replicas)."
# Live pods owned by this ReplicaSet: "pod/NAME READY" per line.
owned=$(k get pods -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{$p := .}}{{range .metadata.ownerReferences}}{{if eq .uid "'"$uid"'"}}pod/{{$p.metadata.name}} {{range $p.status.conditions}}{{if eq .type "Ready"}}{{.status}}{{end}}{{end}}{{"\n"}}{{end}}{{end}}{{end}}{{end}}')
n=$(grep -c . <<<"$owned")
[ "$n" = 3 ] && [ "${ready:-0}" = 3 ] && ! grep -qv ' True$' <<<"$owned" ||
  fail "레플리카셋 web의 파드가 아직 3개 모두 준비되지 않았습니다 (파드 $n 개, 준비됨 ${ready:-0} 개). 잠시 뒤 다시 확인하세요." \
       "ReplicaSet web does not have three ready pods yet ($n pods, ${ready:-0} ready). Check again in a moment."
healed=""
if [ -s before.txt ]; then
  now=$(cut -d' ' -f1 <<<"$owned")
  gone=$(grep -vxF -f <(echo "$now") before.txt | grep -c '^pod/')
  new=$(grep -vxF -f before.txt <<<"$now" | grep -c .)
  [ "$gone" -ge 1 ] && [ "$new" -ge 1 ] && healed=yes
fi
if [ -z "$healed" ]; then
  made=$(k get events --field-selector "involvedObject.uid=$uid,reason=SuccessfulCreate" -o name 2>/dev/null | grep -c .)
  [ "$made" -gt 3 ] && healed=yes
fi
[ -n "$healed" ] ||
  fail "아직 파드를 지워 보지 않았습니다. before.txt에 파드 이름을 적어 두고, 그중 하나를 kubectl delete로 지우세요." \
       "You have not deleted a pod yet. Write the pod names into before.txt, then delete one of them with kubectl delete."
exit 0
