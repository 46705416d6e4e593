#!/bin/bash
# Pod web (nginx, label app=web) carries example.com/owner=platform-team.
k get pod web -n default >/dev/null 2>&1 || fail "default 네임스페이스에 파드 web이 없습니다. kubectl run web --image=nginx --labels=app=web으로 만드세요." \
  "There is no pod web in the default namespace. Create it with kubectl run web --image=nginx --labels=app=web."
image=$(k get pod web -n default -o jsonpath='{.spec.containers[0].image}')
[[ $image == nginx* || $image == docker.io/library/nginx* ]] || fail "파드 web의 이미지가 nginx가 아닙니다(지금 이미지: $image). 파드를 지우고 nginx로 다시 만드세요." \
  "Pod web does not run nginx (it runs $image). Delete it and create it again from nginx."
[ "$(k get pod web -n default -o jsonpath='{.metadata.labels.app}')" = web ] || fail "파드 web에 레이블 app=web이 없습니다. kubectl label pod web app=web으로 붙이세요." \
  "Pod web has no label app=web. Add it with kubectl label pod web app=web."
owner=$(k get pod web -n default -o jsonpath='{.metadata.annotations.example\.com/owner}')
[ -n "$owner" ] || fail "파드 web에 어노테이션 example.com/owner가 없습니다. kubectl annotate로 붙이세요." \
  "Pod web has no annotation example.com/owner. Add it with kubectl annotate."
[ "$owner" = platform-team ] || fail "example.com/owner의 값이 platform-team이 아닙니다(지금 값: $owner). --overwrite로 고치세요." \
  "The value of example.com/owner is $owner, not platform-team. Fix it with --overwrite."
echo "web: example.com/owner=$owner"
