#!/bin/bash
# Step 3: busybox pod client runs; inside it web.default.svc.cluster.local resolves to web's ClusterIP and answers.
k get pod client >/dev/null 2>&1 ||
  fail "파드 client가 없습니다. kubectl run client --image=busybox -- sleep 1000000 으로 만드세요." \
       "There is no pod named client. Create it with: kubectl run client --image=busybox -- sleep 1000000"
image=$(k get pod client -o jsonpath='{.spec.containers[0].image}')
[[ $image == busybox* || $image == */busybox* ]] ||
  fail "파드 client의 이미지가 busybox가 아닙니다 (지금: $image)." "Pod client does not run busybox (it runs $image)."
ready=$(k get pod client -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
[ "$ready" = True ] ||
  fail "파드 client가 실행 중이 아닙니다 (상태: $(k get pod client -o jsonpath='{.status.phase}')). busybox는 할 일이 없으면 끝나므로 sleep 1000000 을 주세요." \
       "Pod client is not running (phase: $(k get pod client -o jsonpath='{.status.phase}')). busybox ends when it has nothing to do: give it sleep 1000000."
svcip=$(k get service web -o jsonpath='{.spec.clusterIP}' 2>/dev/null)
[ -n "$svcip" ] ||
  fail "서비스 web이 없습니다. 1단계의 서비스가 있어야 합니다." "There is no Service web; the Service from step 1 is needed."
ns=$(timeout 6 kubectl exec client -- nslookup web.default.svc.cluster.local 2>&1)
grep -Eq "Address:?[[:space:]]*$svcip\$" <<<"$ns" ||
  fail "파드 client 안에서 web.default.svc.cluster.local 이 서비스 web의 IP($svcip)로 풀리지 않습니다: $(tail -n 3 <<<"$ns" | tr '\n' ' ')" \
       "Inside pod client, web.default.svc.cluster.local does not resolve to Service web's IP ($svcip): $(tail -n 3 <<<"$ns" | tr '\n' ' ')"
out=$(timeout 6 kubectl exec client -- wget -qO- -T 4 http://web.default.svc.cluster.local 2>&1)
grep -q '^Hello from' <<<"$out" ||
  fail "파드 client에서 http://web.default.svc.cluster.local 로 hello의 응답을 받지 못했습니다: $out" \
       "From pod client, http://web.default.svc.cluster.local did not answer with hello's greeting: $out"
echo "client -> web.default.svc.cluster.local ($svcip): $out"
