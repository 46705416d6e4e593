#!/bin/bash
# Step 2: Deployment hello runs 5 ready pods, and Service web's EndpointSlices list exactly their IPs as ready.
dep=$(k get deployment hello -o json 2>/dev/null) ||
  fail "디플로이먼트 hello가 없습니다. 1단계부터 다시 하세요." "There is no Deployment named hello. Go back to step 1."
want=$(jq -r '.spec.replicas' <<<"$dep")
[ "$want" = 5 ] ||
  fail "디플로이먼트 hello의 replicas가 5가 아닙니다 (지금: $want). kubectl scale deployment hello --replicas=5 를 실행하세요." \
       "Deployment hello does not have 5 replicas (it has $want). Run: kubectl scale deployment hello --replicas=5"
ready=$(jq -r '.status.readyReplicas // 0' <<<"$dep")
[ "$ready" = 5 ] ||
  fail "hello 파드 5개 가운데 $ready 개만 준비되었습니다. 잠시 기다리세요." "Only $ready of the 5 hello pods are ready. Wait a moment."
sel=$(k get service web -o json 2>/dev/null | jq -r '.spec.selector // {} | to_entries | map("\(.key)=\(.value)") | join(",")')
[ -n "$sel" ] ||
  fail "서비스 web이 없거나 셀렉터가 없습니다. 1단계의 서비스가 있어야 합니다." "Service web is missing or has no selector; the Service from step 1 is needed."
podips=$(k get pods -l "$sel" -o json | jq -r '.items[] | select(.metadata.deletionTimestamp == null) | select(any(.status.conditions[]?; .type == "Ready" and .status == "True")) | .status.podIP' | sort -u)
epips=$(k get endpointslices -l kubernetes.io/service-name=web -o json | jq -r '.items[].endpoints[]? | select(.conditions.ready == true) | .addresses[]' | sort -u)
n=$(grep -c . <<<"$epips")
[ "$n" = 5 ] ||
  fail "서비스 web의 엔드포인트슬라이스에 준비된 엔드포인트가 5개여야 합니다 (지금 $n 개). 잠시 뒤 kubectl get endpointslices -l kubernetes.io/service-name=web 로 확인하세요." \
       "Service web's EndpointSlices should hold 5 ready endpoints (they hold $n). Look again in a moment with: kubectl get endpointslices -l kubernetes.io/service-name=web"
[ "$podips" = "$epips" ] ||
  fail "엔드포인트의 IP($(echo $epips))가 셀렉터에 맞는 준비된 파드의 IP($(echo $podips))와 다릅니다. 잠시 뒤 다시 확인하세요." \
       "The endpoint IPs ($(echo $epips)) differ from the IPs of the ready pods matching the selector ($(echo $podips)). Check again in a moment."
echo "service web -> 5 endpoints: $(echo $epips)"
