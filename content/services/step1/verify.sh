#!/bin/bash
# Step 1: Deployment hello (3 ready kubeplay/hello pods) and ClusterIP Service web (80 -> 8080) whose
# selector picks exactly those pods; the Service answers.
dep=$(k get deployment hello -o json 2>/dev/null) ||
  fail "디플로이먼트 hello가 없습니다." "There is no Deployment named hello."
image=$(jq -r '.spec.template.spec.containers[0].image' <<<"$dep")
[[ $image == kubeplay/hello* || $image == */kubeplay/hello* ]] ||
  fail "디플로이먼트 hello의 이미지가 kubeplay/hello가 아닙니다 (지금: $image)." "Deployment hello does not run kubeplay/hello (it runs $image)."
want=$(jq -r '.spec.replicas' <<<"$dep")
[ "$want" = 3 ] ||
  fail "디플로이먼트 hello의 replicas가 3이어야 합니다 (지금: $want)." "Deployment hello should have 3 replicas (it has $want)."
ready=$(jq -r '.status.readyReplicas // 0' <<<"$dep")
[ "$ready" = 3 ] ||
  fail "hello 파드 3개 가운데 $ready 개만 준비되었습니다. 잠시 기다리세요." "Only $ready of the 3 hello pods are ready. Wait a moment."
svc=$(k get service web -o json 2>/dev/null) ||
  fail "서비스 web이 없습니다." "There is no Service named web."
type=$(jq -r '.spec.type' <<<"$svc")
[ "$type" = ClusterIP ] ||
  fail "서비스 web의 type이 ClusterIP가 아닙니다 (지금: $type)." "Service web's type is not ClusterIP (it is $type)."
sel=$(jq -r '.spec.selector // {} | to_entries | map("\(.key)=\(.value)") | join(",")' <<<"$svc")
[ -n "$sel" ] ||
  fail "서비스 web에 셀렉터가 없습니다. selector: app: hello 를 주세요." "Service web has no selector. Give it selector: app: hello"
tp=$(jq -r '[.spec.ports[] | select(.port == 80)][0].targetPort // empty' <<<"$svc")
[ -n "$tp" ] ||
  fail "서비스 web이 포트 80으로 받지 않습니다 (ports의 port: 80)." "Service web does not listen on port 80 (port: 80 under ports)."
[ "$tp" = 8080 ] ||
  fail "서비스 web의 targetPort가 8080이 아닙니다 (지금: $tp). 앱은 8080번에서 기다립니다." \
       "Service web's targetPort is not 8080 (it is $tp). The app listens on 8080."
pods=$(k get pods -l "$sel" -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{.metadata.name}} {{(index .spec.containers 0).image}}{{"\n"}}{{end}}{{end}}')
n=$(grep -c . <<<"$pods")
[ "$n" -gt 0 ] ||
  fail "서비스 web의 셀렉터($sel)에 맞는 파드가 없습니다. hello 파드의 레이블과 비교하세요 (kubectl get pods --show-labels)." \
       "No pod matches Service web's selector ($sel). Compare it with the hello pods' labels (kubectl get pods --show-labels)."
other=$(grep -v ' \(.*/\)\?kubeplay/hello' <<<"$pods" | cut -d' ' -f1 | tr '\n' ' ')
[ -z "$other" ] ||
  fail "서비스 web의 셀렉터($sel)가 hello가 아닌 파드도 고릅니다: $other" "Service web's selector ($sel) also picks pods that are not hello: $other"
[ "$n" = 3 ] ||
  fail "서비스 web의 셀렉터($sel)가 hello 파드 3개를 모두 골라야 합니다 (지금 $n 개)." "Service web's selector ($sel) should pick all 3 hello pods (it picks $n)."
ip=$(jq -r '.spec.clusterIP' <<<"$svc")
out=$(curl -s -m 4 "http://$ip:80/")
grep -q '^Hello from' <<<"$out" ||
  fail "서비스 web($ip:80)에서 hello의 응답이 오지 않습니다. 잠시 뒤 다시 확인하세요." "Service web ($ip:80) does not answer with hello's greeting. Check again in a moment."
echo "service web ($ip) -> $n hello pods: $out"
