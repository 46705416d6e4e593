#!/bin/bash
# Step 4: key greeting exists on the master; the ambassador logged a SET to redis-master and a GET to redis-replica.
k get pod app >/dev/null 2>&1 ||
  fail "파드 app이 없습니다. 3단계를 먼저 하세요." "There is no pod named app. Do step 3 first."
amb=$(k get pod app -o json | jq -r '[(.spec.initContainers // [])[], .spec.containers[] | select(.image | test("(^|/)kubeplay/tcpproxy(:|$)"))][0].name // empty')
[ -n "$amb" ] ||
  fail "파드 app에 앰버서더(kubeplay/tcpproxy) 컨테이너가 없습니다." "Pod app has no ambassador (kubeplay/tcpproxy) container."
val=$(timeout 8 kubectl exec deployment/redis-master -- redis-cli GET greeting 2>/dev/null)
[ -n "$val" ] ||
  fail "마스터에 키 greeting이 없습니다. app 컨테이너에서 redis-cli -h 127.0.0.1 SET greeting ... 으로 쓰세요." \
       "The master has no key greeting. Write it from the app container with redis-cli -h 127.0.0.1 SET greeting ..."
logs=$(timeout 8 kubectl logs app -c "$amb" 2>/dev/null)
grep -Eq 'tcpproxy: SET -> redis-master' <<<"$logs" ||
  fail "앰버서더의 로그에 SET -> redis-master 기록이 없습니다. 쓰기를 127.0.0.1 로 보냈나요?" \
       "The ambassador's log has no SET -> redis-master line. Did you send the write to 127.0.0.1?"
grep -Eq 'tcpproxy: GET -> redis-replica' <<<"$logs" ||
  fail "앰버서더의 로그에 GET -> redis-replica 기록이 없습니다. app 컨테이너에서 127.0.0.1 로 GET greeting 을 보내세요." \
       "The ambassador's log has no GET -> redis-replica line. Send GET greeting to 127.0.0.1 from the app container."
exit 0
