#!/bin/bash
# Step 2: pod hello-v3 (kubeplay/hello:v3) with a /ready readiness probe, selected by Service hello, Running but not Ready, listed not-ready in the EndpointSlice.
pod=$(k get pod hello-v3 -o json 2>/dev/null) ||
  fail "파드 hello-v3이 없습니다. 단계의 매니페스트로 만드세요." "There is no pod hello-v3. Create it with the step's manifest."
jq -e '.spec.containers[] | select(.image | test("(^|/)kubeplay/hello:v3$"))' <<<"$pod" >/dev/null ||
  fail "파드 hello-v3이 kubeplay/hello:v3 이미지를 쓰지 않습니다." "Pod hello-v3 does not run kubeplay/hello:v3."
[ "$(jq -r '[.spec.containers[].readinessProbe.httpGet.path // empty][0] // empty' <<<"$pod")" = /ready ] ||
  fail "hello-v3에 경로 /ready 의 httpGet 레디니스 프로브가 없습니다." "hello-v3 has no httpGet readiness probe on /ready."
sel=$(k get service hello -o json 2>/dev/null | jq -r '.spec.selector // {} | to_entries | map("\(.key)=\(.value)") | join(",")')
[ -n "$sel" ] ||
  fail "서비스 hello가 없거나 셀렉터가 없습니다. 1단계를 확인하세요." "Service hello is missing or has no selector. Check step 1."
k get pods -l "$sel" -o name | grep -qx pod/hello-v3 ||
  fail "hello-v3의 레이블이 서비스 hello의 셀렉터($sel)에 맞지 않습니다. 파드를 지우고(kubectl delete pod hello-v3) app: hello, track: canary 레이블로 다시 만드세요." \
       "hello-v3's labels do not match Service hello's selector ($sel). Delete it (kubectl delete pod hello-v3) and create it again with labels app: hello, track: canary."
owner=$(jq -r '.metadata.ownerReferences[0].kind // empty' <<<"$pod")
[ -z "$owner" ] ||
  fail "hello-v3이 $owner 에 입양됐습니다. kubectl delete pod hello-v3 으로 지운 뒤, track: stable 대신 track: canary 레이블로 다시 만드세요." \
       "hello-v3 was adopted by a $owner. Run kubectl delete pod hello-v3, then create it again with the label track: canary instead of track: stable."
[ "$(jq -r '.status.phase' <<<"$pod")" = Running ] ||
  fail "hello-v3이 아직 Running이 아닙니다. 잠시 기다리세요." "hello-v3 is not Running yet. Wait a moment."
[ "$(jq -r '.status.conditions[]? | select(.type == "Ready") | .status' <<<"$pod")" != True ] ||
  fail "hello-v3이 Ready 상태입니다. v3은 준비되지 않아야 합니다. 이미지와 프로브 경로를 확인하세요." \
       "hello-v3 is Ready, but v3 should never be. Check the image and the probe path."
ip=$(jq -r '.status.podIP // empty' <<<"$pod")
st=$(k get endpointslices -l kubernetes.io/service-name=hello -o json | jq -r --arg ip "$ip" '[.items[].endpoints[]? | select(any(.addresses[]; . == $ip)) | .conditions.ready | tostring][0] // "missing"')
[ "$st" = false ] ||
  fail "서비스 hello의 엔드포인트에 hello-v3이 준비되지 않은 것으로 보이지 않습니다 (지금: $st). 잠시 뒤 다시 확인하세요." \
       "Service hello's endpoints do not show hello-v3 as not ready (now: $st). Check again in a moment."
exit 0
