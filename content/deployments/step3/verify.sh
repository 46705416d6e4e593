#!/bin/bash
# Step 3: Deployment hello wants kubeplay/hello:v3; a v3 pod exists but is not ready (its readiness probe
# fails), while three ready v2 pods keep serving, and the Service still answers with v2.
image=$(k get deploy hello -o jsonpath='{.spec.template.spec.containers[0].image}' 2>/dev/null) ||
  fail "디플로이먼트 hello가 없습니다." "There is no Deployment named hello."
[ "$image" = kubeplay/hello:v3 ] ||
  fail "디플로이먼트 hello의 이미지가 kubeplay/hello:v3이 아닙니다 (지금: $image)." \
       "Deployment hello's image is not kubeplay/hello:v3 (it is $image)."
# Live pods: "IMAGE READY" per line.
pods=$(k get pods -l app=hello -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{(index .spec.containers 0).image}} {{range .status.conditions}}{{if eq .type "Ready"}}{{.status}}{{end}}{{end}}{{"\n"}}{{end}}{{end}}')
v3=$(grep -c '^kubeplay/hello:v3 ' <<<"$pods")
[ "$v3" -ge 1 ] ||
  fail "v3 파드가 아직 없습니다. 잠시 뒤 다시 확인하세요." "There is no v3 pod yet. Check again in a moment."
! grep -q '^kubeplay/hello:v3 True$' <<<"$pods" ||
  fail "v3 파드가 준비된 상태입니다. v3의 /ready는 언제나 503이어야 합니다. readinessProbe가 /ready를 묻는지 확인하세요." \
       "A v3 pod is ready, but v3's /ready always fails. Check that the readinessProbe asks /ready."
v2=$(grep -c '^kubeplay/hello:v2 True$' <<<"$pods")
[ "$v2" = 3 ] ||
  fail "준비된 v2 파드가 3개가 아닙니다 (지금 $v2 개). 롤아웃이 멈춘 동안 옛 파드 3개가 그대로 서비스해야 합니다." \
       "There are not three ready v2 pods (there are $v2). While the rollout is stalled, the three old pods keep serving."
answer=$(timeout 8 kubectl exec deploy/hello -- wget -qO- -T 4 http://hello 2>&1)
grep -q 'version v2' <<<"$answer" ||
  fail "서비스 hello가 'version v2'로 답하지 않습니다: $answer" "Service hello does not answer with 'version v2': $answer"
exit 0
