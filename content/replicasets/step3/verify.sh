#!/bin/bash
# Step 3: pod hello-old (hello:v1) was adopted by ReplicaSet hello (template hello:v2, 3 replicas),
# which therefore made only two pods, and hello-old still runs v1.
info=$(k get rs hello -o jsonpath='{.metadata.uid}|{.spec.selector.matchLabels.app}|{.spec.template.spec.containers[0].image}|{.spec.replicas}|{.status.readyReplicas}' 2>/dev/null) ||
  fail "레플리카셋 hello가 없습니다." "There is no ReplicaSet named hello."
IFS='|' read -r uid sel image replicas ready <<<"$info"
[ "$sel" = hello ] ||
  fail "레플리카셋 hello의 셀렉터가 app: hello가 아닙니다." "ReplicaSet hello's selector is not app: hello."
[ "$image" = kubeplay/hello:v2 ] ||
  fail "레플리카셋 hello의 템플릿 이미지가 kubeplay/hello:v2가 아닙니다 (지금: $image)." \
       "ReplicaSet hello's template image is not kubeplay/hello:v2 (it is $image)."
[ "$replicas" = 3 ] ||
  fail "레플리카셋 hello의 레플리카 수가 3이 아닙니다 (지금 $replicas)." "ReplicaSet hello's replica count is not 3 (it is $replicas)."
pod=$(k get pod hello-old -o jsonpath='{.spec.containers[0].image}|{.metadata.ownerReferences[0].uid}' 2>/dev/null) ||
  fail "파드 hello-old가 없습니다. 레플리카셋보다 먼저 만들어야 합니다." "There is no pod named hello-old. It has to be created before the ReplicaSet."
IFS='|' read -r oldimage owner <<<"$pod"
[ "$oldimage" = kubeplay/hello:v1 ] ||
  fail "파드 hello-old의 이미지가 kubeplay/hello:v1이 아닙니다 (지금: $oldimage)." "Pod hello-old does not run kubeplay/hello:v1 (it runs $oldimage)."
[ "$owner" = "$uid" ] ||
  fail "파드 hello-old가 레플리카셋 hello에 입양되지 않았습니다 (ownerReferences에 hello가 없음). 레이블이 app=hello인지 보세요." \
       "Pod hello-old was not adopted by ReplicaSet hello (its ownerReferences do not name hello). Is its label app=hello?"
# Live pods owned by the ReplicaSet: "NAME IMAGE READY".
owned=$(k get pods -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{$p := .}}{{range .metadata.ownerReferences}}{{if eq .uid "'"$uid"'"}}{{$p.metadata.name}} {{(index $p.spec.containers 0).image}} {{range $p.status.conditions}}{{if eq .type "Ready"}}{{.status}}{{end}}{{end}}{{"\n"}}{{end}}{{end}}{{end}}{{end}}')
n=$(grep -c . <<<"$owned")
[ "$n" = 3 ] && [ "${ready:-0}" = 3 ] && ! grep -qv ' True$' <<<"$owned" ||
  fail "레플리카셋 hello의 파드가 아직 3개 모두 준비되지 않았습니다 (파드 $n 개, 준비됨 ${ready:-0} 개)." \
       "ReplicaSet hello does not have three ready pods yet ($n pods, ${ready:-0} ready)."
v2=$(grep -c ' kubeplay/hello:v2 ' <<<"$owned")
[ "$v2" = 2 ] ||
  fail "레플리카셋 hello가 템플릿(v2)으로 만든 파드가 2개가 아닙니다 (지금 $v2 개)." \
       "ReplicaSet hello did not make exactly two pods from its v2 template (it has $v2)."
exit 0
