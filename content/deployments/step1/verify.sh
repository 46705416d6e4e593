#!/bin/bash
# Step 1: Deployment hello (3 x kubeplay/hello:v1, readinessProbe GET /ready:8080) is ready, and
# Service hello (app=hello, 80 -> 8080) answers with version v1.
info=$(k get deploy hello -o jsonpath='{.spec.replicas}|{.spec.template.spec.containers[0].image}|{.spec.template.spec.containers[0].readinessProbe.httpGet.path}|{.spec.template.spec.containers[0].readinessProbe.httpGet.port}|{.status.readyReplicas}|{.status.updatedReplicas}|{.status.replicas}' 2>/dev/null) ||
  fail "디플로이먼트 hello가 없습니다." "There is no Deployment named hello."
IFS='|' read -r replicas image path port ready updated total <<<"$info"
[ "$replicas" = 3 ] ||
  fail "디플로이먼트 hello의 레플리카 수가 3이 아닙니다 (지금 $replicas)." "Deployment hello's replica count is not 3 (it is $replicas)."
[ "$image" = kubeplay/hello:v1 ] ||
  fail "디플로이먼트 hello의 이미지가 kubeplay/hello:v1이 아닙니다 (지금: $image)." "Deployment hello's image is not kubeplay/hello:v1 (it is $image)."
[ "$path" = /ready ] && [ "$port" = 8080 ] ||
  fail "디플로이먼트 hello에 8080번 포트의 /ready를 묻는 readinessProbe(httpGet)가 없습니다." \
       "Deployment hello has no readinessProbe (httpGet) on /ready, port 8080."
[ "${ready:-0}" = 3 ] && [ "${updated:-0}" = 3 ] && [ "${total:-0}" = 3 ] ||
  fail "디플로이먼트 hello의 파드 3개가 아직 준비되지 않았습니다 (준비됨 ${ready:-0}). kubectl rollout status deployment/hello 로 기다리세요." \
       "Deployment hello's three pods are not ready yet (ready: ${ready:-0}). Wait with: kubectl rollout status deployment/hello"
svc=$(k get svc hello -o jsonpath='{.spec.selector.app}|{.spec.ports[0].port}|{.spec.ports[0].targetPort}' 2>/dev/null) ||
  fail "서비스 hello가 없습니다." "There is no Service named hello."
IFS='|' read -r sel sport tport <<<"$svc"
[ "$sel" = hello ] ||
  fail "서비스 hello의 셀렉터가 app: hello가 아닙니다." "Service hello's selector is not app: hello."
[ "$sport" = 80 ] && [ "$tport" = 8080 ] ||
  fail "서비스 hello는 80번 포트를 파드의 8080번으로 보내야 합니다 (지금 $sport -> $tport)." \
       "Service hello must send port 80 to the pods' port 8080 (now $sport -> $tport)."
answer=$(timeout 8 kubectl exec deploy/hello -- wget -qO- -T 4 http://hello 2>&1)
grep -q 'version v1' <<<"$answer" ||
  fail "서비스 hello가 'version v1'로 답하지 않습니다: $answer" "Service hello does not answer with 'version v1': $answer"
exit 0
