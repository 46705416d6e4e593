#!/bin/bash
# Step 3: pod "duo" has containers web (nginx) and sidecar (busybox); the sidecar reaches nginx on localhost.
k get pod duo >/dev/null 2>&1 ||
  fail "파드 duo가 없습니다." "There is no pod named duo."
names=$(k get pod duo -o jsonpath='{range .spec.containers[*]}{.name}={.image}{"\n"}{end}')
n=$(wc -l <<<"$names")
[ "$n" = 2 ] ||
  fail "파드 duo에는 컨테이너가 두 개 있어야 합니다 (지금 $n 개)." "Pod duo should have two containers (it has $n)."
grep -Eq '^web=(.*/)?nginx(:.*)?$' <<<"$names" ||
  fail "파드 duo에 nginx 이미지를 쓰는 컨테이너 web이 없습니다." "Pod duo has no container named web running nginx."
grep -Eq '^sidecar=(.*/)?busybox(:.*)?$' <<<"$names" ||
  fail "파드 duo에 busybox 이미지를 쓰는 컨테이너 sidecar가 없습니다." "Pod duo has no container named sidecar running busybox."
ready=$(k get pod duo -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
[ "$ready" = True ] ||
  fail "파드 duo의 컨테이너가 아직 모두 준비되지 않았습니다. kubectl describe pod duo 로 확인하세요." \
       "Not all of pod duo's containers are ready yet. Look with: kubectl describe pod duo"
page=$(timeout 8 kubectl exec duo -c sidecar -- wget -qO- -T 4 http://localhost 2>&1)
grep -qi "nginx" <<<"$page" ||
  fail "sidecar 컨테이너에서 http://localhost 로 nginx에 닿지 않습니다: $page" \
       "The sidecar container does not reach nginx at http://localhost: $page"
exit 0
