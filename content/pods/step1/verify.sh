#!/bin/bash
# Step 1: pod "web" with one nginx container, Running and ready.
k get pod web >/dev/null 2>&1 ||
  fail "파드 web이 없습니다. kubectl run web --image=nginx 로 만드세요." \
       "There is no pod named web. Create it with: kubectl run web --image=nginx"
n=$(k get pod web -o jsonpath='{range .spec.containers[*]}{.name}{"\n"}{end}' | wc -l)
[ "$n" = 1 ] ||
  fail "파드 web에는 컨테이너가 하나만 있어야 합니다 (지금 $n 개)." "Pod web should have exactly one container (it has $n)."
image=$(k get pod web -o jsonpath='{.spec.containers[0].image}')
case $image in
  nginx | nginx:* | */nginx | */nginx:*) ;;
  *) fail "파드 web의 이미지가 nginx가 아닙니다 (지금: $image)." "Pod web does not run the nginx image (it runs $image)." ;;
esac
ready=$(k get pod web -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
[ "$ready" = True ] ||
  fail "파드 web이 아직 준비되지 않았습니다 (상태: $(k get pod web -o jsonpath='{.status.phase}'))." \
       "Pod web is not ready yet (phase: $(k get pod web -o jsonpath='{.status.phase}'))."
exit 0
