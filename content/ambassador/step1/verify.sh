#!/bin/bash
# Step 1: Deployment redis-master (redis) is available; Service redis-master:6379 points at it; the pod's Redis is a master.
dep=$(k get deployment redis-master -o json 2>/dev/null) ||
  fail "디플로이먼트 redis-master가 없습니다. kubectl create deployment redis-master --image=redis --port=6379 로 만드세요." \
       "There is no Deployment redis-master. Create it with: kubectl create deployment redis-master --image=redis --port=6379"
jq -e '.spec.template.spec.containers[] | select(.image | test("(^|/)redis(:|$)"))' <<<"$dep" >/dev/null ||
  fail "디플로이먼트 redis-master가 redis 이미지를 쓰지 않습니다." "Deployment redis-master does not run the redis image."
[ "$(jq -r '.status.readyReplicas // 0' <<<"$dep")" -ge 1 ] ||
  fail "redis-master 파드가 아직 준비되지 않았습니다. 잠시 기다리세요." "The redis-master pod is not ready yet. Wait a moment."
svc=$(k get service redis-master -o json 2>/dev/null) ||
  fail "서비스 redis-master가 없습니다. kubectl expose deployment redis-master --port=6379 로 만드세요." \
       "There is no Service redis-master. Create it with: kubectl expose deployment redis-master --port=6379"
jq -e '.spec.ports[] | select(.port == 6379)' <<<"$svc" >/dev/null ||
  fail "서비스 redis-master에 6379 포트가 없습니다." "Service redis-master has no port 6379."
ips=$(k get endpointslices -l kubernetes.io/service-name=redis-master -o jsonpath='{.items[*].endpoints[*].addresses[*]}')
[ -n "$ips" ] ||
  fail "서비스 redis-master가 아무 파드도 가리키지 않습니다. 셀렉터가 파드의 레이블과 맞는지 보세요 (kubectl describe service redis-master)." \
       "Service redis-master points at no pod. Check that its selector matches the pod's labels (kubectl describe service redis-master)."
role=$(timeout 8 kubectl exec deployment/redis-master -- redis-cli ROLE 2>/dev/null | head -n 1)
[ "$role" = master ] ||
  fail "redis-master 파드의 레디스가 마스터가 아닙니다 (ROLE: ${role:-응답 없음})." "The Redis in the redis-master pod is not a master (ROLE: ${role:-no answer})."
exit 0
