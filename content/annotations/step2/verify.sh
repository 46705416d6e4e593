#!/bin/bash
# Pod api carries example.com/owner=platform-team; web and api both carry the label team=platform.
k get pod api -n default >/dev/null 2>&1 || fail "default 네임스페이스에 파드 api가 없습니다. 본문의 매니페스트로 만드세요." \
  "There is no pod api in the default namespace. Create it from the manifest in the text."
owner=$(k get pod api -n default -o jsonpath='{.metadata.annotations.example\.com/owner}')
[ "$owner" = platform-team ] || fail "파드 api에 어노테이션 example.com/owner=platform-team이 없습니다(지금 값: '${owner}')." \
  "Pod api does not carry the annotation example.com/owner=platform-team (its value now: '${owner}')."
k get pod web -n default >/dev/null 2>&1 || fail "default 네임스페이스에 파드 web이 없습니다. 1단계에서 만든 파드가 지워졌다면 다시 만드세요." \
  "There is no pod web in the default namespace. If the pod of step 1 was deleted, create it again."
for p in web api; do
  [ "$(k get pod "$p" -n default -o jsonpath='{.metadata.labels.team}')" = platform ] || fail "파드 $p에 레이블 team=platform이 없습니다. kubectl label로 붙이세요." \
    "Pod $p has no label team=platform. Add it with kubectl label."
done
echo "selected by team=platform: $(k get pods -n default -l team=platform -o name | tr '\n' ' ')"
