#!/bin/bash
# On pod web, example.com/owner is web-team and example.com/contact is gone.
k get pod web -n default >/dev/null 2>&1 || fail "default 네임스페이스에 파드 web이 없습니다." "There is no pod web in the default namespace."
json=$(k get pod web -n default -o json) || fail "파드 web을 읽지 못했습니다." "Could not read pod web."
owner=$(jq -r '.metadata.annotations["example.com/owner"] // empty' <<<"$json")
[ "$owner" = web-team ] || fail "파드 web의 example.com/owner가 아직 web-team이 아닙니다(지금 값: '${owner}'). --overwrite를 붙여 바꾸세요." \
  "example.com/owner on pod web is not web-team yet (it is '${owner}'). Change it with --overwrite."
jq -e '.metadata.annotations | has("example.com/contact")' <<<"$json" >/dev/null && fail "파드 web에 example.com/contact가 아직 남아 있습니다. 키 뒤에 -를 붙여 지우세요: kubectl annotate pod web example.com/contact-" \
  "example.com/contact is still on pod web. Remove it with a - after the key: kubectl annotate pod web example.com/contact-"
echo "owner=web-team, contact removed"
