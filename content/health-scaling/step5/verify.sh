#!/bin/bash
# Step 5: HPA hello (autoscaling/v2) targets Deployment hello, min 1, max 4, CPU Utilization 50%; it has metrics and has scaled out to 3 or more.
hpa=$(k get horizontalpodautoscalers.v2.autoscaling hello -o json 2>/dev/null) ||
  fail "HPA hello가 없습니다. 단계의 매니페스트로 만드세요." "There is no HPA hello. Create it with the step's manifest."
ref=$(jq -r '"\(.spec.scaleTargetRef.kind)/\(.spec.scaleTargetRef.name)"' <<<"$hpa")
[ "$ref" = Deployment/hello ] ||
  fail "HPA hello의 대상이 디플로이먼트 hello가 아닙니다 (지금: $ref)." "HPA hello does not target Deployment hello (it targets $ref)."
mm=$(jq -r '"\(.spec.minReplicas // 1)-\(.spec.maxReplicas)"' <<<"$hpa")
[ "$mm" = 1-4 ] ||
  fail "HPA hello의 최소·최대 레플리카가 1과 4가 아닙니다 (지금: $mm)." "HPA hello's min and max replicas are not 1 and 4 (now: $mm)."
t=$(jq -r '[.spec.metrics[]? | select(.type == "Resource" and .resource.name == "cpu" and .resource.target.type == "Utilization") | .resource.target.averageUtilization][0] // empty' <<<"$hpa")
[ "$t" = 50 ] ||
  fail "HPA hello에 CPU 사용률(Utilization) 50% 목표가 없습니다 (지금: ${t:-없음})." "HPA hello has no CPU Utilization target of 50% (now: ${t:-none})."
cur=$(jq -r '[.status.currentMetrics[]? | select(.type == "Resource" and .resource.name == "cpu") | .resource.current.averageUtilization][0] // empty' <<<"$hpa")
[ -n "$cur" ] ||
  fail "HPA hello가 아직 CPU 사용률을 읽지 못합니다 (<unknown>). 메트릭 서버와 CPU 요청량을 확인하고 잠시 기다리세요 (kubectl describe hpa hello)." \
       "HPA hello cannot read the CPU utilization yet (<unknown>). Check metrics-server and the CPU request, and wait a moment (kubectl describe hpa hello)."
want=$(jq -r '.status.desiredReplicas // 0' <<<"$hpa")
[ "$want" -ge 3 ] ||
  fail "HPA hello가 아직 파드를 늘리지 않았습니다 (원하는 레플리카 ${want}개, 사용률 ${cur}%). 부하 발생기 load가 돌고 있는지 보고 1분쯤 기다리세요." \
       "HPA hello has not scaled out yet (desired replicas $want, utilization ${cur}%). Check that the load generator load runs, and wait a minute."
exit 0
