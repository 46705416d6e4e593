#!/bin/bash
# Step 1: namespace team-a, ServiceAccount reader in it, pod web (nginx) running as reader.
k get namespace team-a >/dev/null 2>&1 ||
  fail "네임스페이스 team-a가 없습니다. kubectl create namespace team-a 로 만드세요." \
       "There is no namespace team-a. Create it with: kubectl create namespace team-a"
k get serviceaccount reader -n team-a >/dev/null 2>&1 ||
  fail "team-a에 서비스 어카운트 reader가 없습니다. kubectl create serviceaccount reader -n team-a 로 만드세요." \
       "There is no ServiceAccount reader in team-a. Create it with: kubectl create serviceaccount reader -n team-a"
pod=$(k get pod web -n team-a -o json 2>/dev/null) ||
  fail "team-a에 파드 web이 없습니다. serviceAccountName: reader 를 넣은 매니페스트로 만드세요." \
       "There is no pod web in team-a. Create it with serviceAccountName: reader in its manifest."
jq -e '.spec.containers[] | select(.image | test("(^|/)nginx(:|$)"))' <<<"$pod" >/dev/null ||
  fail "파드 web이 nginx 이미지를 쓰지 않습니다." "Pod web does not run the nginx image."
sa=$(jq -r '.spec.serviceAccountName // "default"' <<<"$pod")
[ "$sa" = reader ] ||
  fail "파드 web의 서비스 어카운트가 reader가 아닙니다 (지금: $sa). 파드를 지우고 serviceAccountName: reader 로 다시 만드세요." \
       "Pod web does not run as ServiceAccount reader (it runs as $sa). Delete it and create it again with serviceAccountName: reader."
[ "$(jq -r '.status.conditions[]? | select(.type == "Ready") | .status' <<<"$pod")" = True ] ||
  fail "파드 web이 아직 준비되지 않았습니다. 잠시 기다리세요." "Pod web is not ready yet. Wait a moment."
exit 0
