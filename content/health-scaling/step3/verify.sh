#!/bin/bash
# Step 3: nginx pod fragile with an httpGet liveness probe on /healthz, restarted at least once.
pod=$(k get pod fragile -o json 2>/dev/null) ||
  fail "파드 fragile이 없습니다. 단계의 매니페스트로 만드세요." "There is no pod fragile. Create it with the step's manifest."
jq -e '.spec.containers[] | select(.image | test("(^|/)nginx(:|$)"))' <<<"$pod" >/dev/null ||
  fail "파드 fragile이 nginx 이미지를 쓰지 않습니다." "Pod fragile does not run the nginx image."
path=$(jq -r '[.spec.containers[].livenessProbe.httpGet.path // empty][0] // empty' <<<"$pod")
[ "$path" = /healthz ] ||
  fail "fragile에 경로 /healthz 의 httpGet 라이브니스 프로브가 없습니다 (지금: ${path:-없음})." \
       "fragile has no httpGet liveness probe on /healthz (now: ${path:-none})."
n=$(jq -r '[.status.containerStatuses[]?.restartCount] | max // 0' <<<"$pod")
[ "$n" -ge 1 ] ||
  fail "fragile이 아직 재시작되지 않았습니다. 10초쯤 기다린 뒤 kubectl get pod fragile 로 RESTARTS를 보세요." \
       "fragile has not restarted yet. Wait about 10 seconds and look at RESTARTS in kubectl get pod fragile."
exit 0
