#!/bin/bash
# Step 4: NodePort Service web-nodeport (80 -> 8080, selector picking the hello pods) answers on the worker's
# IP at its node port, and several pods answer (load balancing).
svc=$(k get service web-nodeport -o json 2>/dev/null) ||
  fail "서비스 web-nodeport가 없습니다." "There is no Service named web-nodeport."
type=$(jq -r '.spec.type' <<<"$svc")
[ "$type" = NodePort ] ||
  fail "서비스 web-nodeport의 type이 NodePort가 아닙니다 (지금: $type)." "Service web-nodeport's type is not NodePort (it is $type)."
port=$(jq -c '[.spec.ports[] | select(.port == 80)][0] // empty' <<<"$svc")
[ -n "$port" ] ||
  fail "서비스 web-nodeport가 포트 80으로 받지 않습니다 (ports의 port: 80)." "Service web-nodeport does not listen on port 80 (port: 80 under ports)."
tp=$(jq -r '.targetPort' <<<"$port")
[ "$tp" = 8080 ] ||
  fail "서비스 web-nodeport의 targetPort가 8080이 아닙니다 (지금: $tp)." "Service web-nodeport's targetPort is not 8080 (it is $tp)."
np=$(jq -r '.nodePort // empty' <<<"$port")
[ -n "$np" ] ||
  fail "서비스 web-nodeport에 nodePort가 없습니다." "Service web-nodeport has no nodePort."
sel=$(jq -r '.spec.selector // {} | to_entries | map("\(.key)=\(.value)") | join(",")' <<<"$svc")
[ -n "$sel" ] ||
  fail "서비스 web-nodeport에 셀렉터가 없습니다. selector: app: hello 를 주세요." "Service web-nodeport has no selector. Give it selector: app: hello"
images=$(k get pods -l "$sel" -o jsonpath='{range .items[*]}{.spec.containers[0].image}{"\n"}{end}')
[ -n "$images" ] ||
  fail "서비스 web-nodeport의 셀렉터($sel)에 맞는 파드가 없습니다." "No pod matches Service web-nodeport's selector ($sel)."
grep -qv 'kubeplay/hello' <<<"$images" &&
  fail "서비스 web-nodeport의 셀렉터($sel)가 hello가 아닌 파드도 고릅니다." "Service web-nodeport's selector ($sel) also picks pods that are not hello."
ip=$(k get nodes -l '!node-role.kubernetes.io/control-plane' -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')
[ -n "$ip" ] || fail "워커 노드의 IP를 찾지 못했습니다." "Could not find the worker node's IP."
first=$(curl -s -m 4 "http://$ip:$np/")
grep -q '^Hello from' <<<"$first" ||
  fail "워커 노드($ip)의 포트 $np 에서 hello의 응답이 오지 않습니다. 잠시 뒤 다시 확인하세요." \
       "The worker node ($ip) does not answer with hello's greeting on port $np. Check again in a moment."
pods=$( { echo "$first"; for i in 1 2 3 4 5 6 7 8 9 10 11; do curl -s -m 2 "http://$ip:$np/"; done; } | awk '/^Hello from/ {print $3}' | sort -u)
n=$(grep -c . <<<"$pods")
[ "$n" -ge 2 ] ||
  fail "열두 번 접속했는데 파드 하나($pods)만 답했습니다. 서비스 뒤에 준비된 파드가 여럿 있어야 합니다 (kubectl get endpointslices -l kubernetes.io/service-name=web-nodeport)." \
       "Twelve connections were all answered by one pod ($pods). Several ready pods must stand behind the Service (kubectl get endpointslices -l kubernetes.io/service-name=web-nodeport)."
echo "$ip:$np answered by $n pods: $(echo $pods)"
