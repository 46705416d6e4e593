#!/bin/bash
# Step 2: the web pod's nginx serves a page saying "Hello from kubeplay" on its pod IP.
ip=$(k get pod web -o jsonpath='{.status.podIP}' 2>/dev/null)
[ -n "$ip" ] ||
  fail "파드 web이 없거나 아직 IP가 없습니다." "Pod web does not exist or has no IP yet."
page=$(curl -s -m 4 "http://$ip/")
[ -n "$page" ] ||
  fail "파드 web($ip)의 80번 포트에서 응답이 없습니다." "Nothing answers on port 80 of pod web ($ip)."
grep -qi "hello from kubeplay" <<<"$page" ||
  fail "파드 web의 첫 페이지에 아직 'Hello from kubeplay'가 없습니다. index.html을 바꿨나요?" \
       "Pod web's first page does not say 'Hello from kubeplay' yet. Did you change index.html?"
exit 0
