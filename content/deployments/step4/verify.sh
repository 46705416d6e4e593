#!/bin/bash
# Step 4: Deployment hello is back on kubeplay/hello:v2 in a new revision (>= 4): three ready v2 pods,
# no v3 pod left.
info=$(k get deploy hello -o go-template='{{(index .spec.template.spec.containers 0).image}}|{{index .metadata.annotations "deployment.kubernetes.io/revision"}}|{{.spec.replicas}}|{{.status.replicas}}|{{.status.updatedReplicas}}|{{.status.readyReplicas}}' 2>/dev/null) ||
  fail "디플로이먼트 hello가 없습니다." "There is no Deployment named hello."
IFS='|' read -r image rev replicas total updated ready <<<"$info"
[ "$image" = kubeplay/hello:v2 ] ||
  fail "디플로이먼트 hello의 이미지가 kubeplay/hello:v2로 돌아오지 않았습니다 (지금: $image). kubectl rollout undo deployment/hello 를 실행하세요." \
       "Deployment hello's image is not back to kubeplay/hello:v2 (it is $image). Run: kubectl rollout undo deployment/hello"
[ "${rev:-0}" -ge 4 ] ||
  fail "디플로이먼트 hello의 리비전이 ${rev:-?}입니다. 되돌리기는 새 리비전(4)으로 기록되어야 합니다." \
       "Deployment hello is at revision ${rev:-?}; a rollback is recorded as a new revision (4)."
pods=$(k get pods -l app=hello -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{(index .spec.containers 0).image}} {{range .status.conditions}}{{if eq .type "Ready"}}{{.status}}{{end}}{{end}}{{"\n"}}{{end}}{{end}}')
! grep -q '^kubeplay/hello:v3 ' <<<"$pods" ||
  fail "v3 파드가 아직 남아 있습니다. 잠시 뒤 다시 확인하세요." "A v3 pod is still there. Check again in a moment."
[ "${total:-0}" = "$replicas" ] && [ "${updated:-0}" = "$replicas" ] && [ "${ready:-0}" = "$replicas" ] &&
  [ "$(grep -c '^kubeplay/hello:v2 True$' <<<"$pods")" = "$replicas" ] ||
  fail "v2 파드 $replicas 개가 아직 모두 준비되지 않았습니다. kubectl rollout status deployment/hello 로 기다리세요." \
       "Not all $replicas v2 pods are ready yet. Wait with: kubectl rollout status deployment/hello"
exit 0
