#!/bin/bash
# Step 5: Service where-np of type NodePort answers on the worker's IP and node port.
k get service where-np >/dev/null 2>&1 ||
  fail "서비스 where-np가 없습니다." "There is no Service named where-np."
type=$(k get service where-np -o jsonpath='{.spec.type}')
[ "$type" = NodePort ] ||
  fail "서비스 where-np의 타입이 NodePort가 아닙니다 (지금: $type)." "Service where-np is not of type NodePort (it is $type)."
port=$(k get service where-np -o jsonpath='{.spec.ports[0].nodePort}')
[ -n "$port" ] && [ "$port" -ge 30000 ] && [ "$port" -le 32767 ] ||
  fail "where-np의 노드 포트($port)가 30000-32767 범위에 없습니다." "where-np's node port ($port) is not in 30000-32767."
eps=$(k get endpointslices -l kubernetes.io/service-name=where-np -o jsonpath='{.items[*].endpoints[*].addresses[*]}')
[ -n "$eps" ] ||
  fail "where-np 뒤에 파드가 없습니다 (엔드포인트 없음). 파드 where가 Running인지, 셀렉터가 맞는지 보세요." \
       "where-np has no pod behind it (no endpoints). Check that pod where is Running and the selector matches it."
worker=$(k get nodes -l '!node-role.kubernetes.io/control-plane' -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')
code=$(curl -s -o /dev/null -m 4 -w '%{http_code}' "http://$worker:$port/")
[ "$code" = 200 ] ||
  fail "워커 $worker:$port 로 접속했지만 응답이 없습니다 (HTTP $code)." "Nothing answers on the worker's $worker:$port (HTTP $code)."
exit 0
