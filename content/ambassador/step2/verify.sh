#!/bin/bash
# Step 2: Deployment redis-replica has 2 ready pods replicating redis-master; Service redis-replica:6379 has 2 endpoints; the master sees 2 replicas.
dep=$(k get deployment redis-replica -o json 2>/dev/null) ||
  fail "디플로이먼트 redis-replica가 없습니다. 단계의 매니페스트로 만드세요." "There is no Deployment redis-replica. Create it with the step's manifest."
jq -e '[.spec.template.spec.containers[] | ((.command // []) + (.args // [])) | join(" ") | select(test("replicaof +redis-master"))] | length > 0' <<<"$dep" >/dev/null ||
  fail "redis-replica의 컨테이너가 --replicaof redis-master 6379 로 시작하지 않습니다." \
       "redis-replica's container does not start with --replicaof redis-master 6379."
ready=$(jq -r '.status.readyReplicas // 0' <<<"$dep")
[ "$ready" -ge 2 ] ||
  fail "redis-replica의 준비된 파드가 ${ready}개입니다. 2개가 되어야 합니다." "redis-replica has $ready ready pod(s); it needs 2."
k get service redis-replica -o json 2>/dev/null | jq -e '.spec.ports[] | select(.port == 6379)' >/dev/null ||
  fail "6379 포트를 쓰는 서비스 redis-replica가 없습니다." "There is no Service redis-replica with port 6379."
n=$(k get endpointslices -l kubernetes.io/service-name=redis-replica -o json | jq '[.items[].endpoints[]? | select(.conditions.ready != false) | .addresses[]] | length')
[ "$n" -ge 2 ] ||
  fail "서비스 redis-replica가 가리키는 파드가 ${n}개입니다. 셀렉터가 app: redis-replica인지 보세요." \
       "Service redis-replica points at $n pod(s). Check that its selector is app: redis-replica."
slaves=$(timeout 8 kubectl exec deployment/redis-master -- redis-cli INFO replication 2>/dev/null | tr -d '\r' | sed -n 's/^connected_slaves://p')
[ "${slaves:-0}" -ge 2 ] ||
  fail "마스터에 연결된 복제본이 ${slaves:-0}개입니다. 잠시 기다리거나 kubectl logs deployment/redis-replica 를 보세요." \
       "The master has ${slaves:-0} replica(s) connected. Wait a moment, or read kubectl logs deployment/redis-replica."
exit 0
