#!/bin/bash
# Step 3: /root/reader.kubeconfig authenticates as system:serviceaccount:team-a:reader and can list team-a's pods.
KC=/root/reader.kubeconfig
[ -s "$KC" ] ||
  fail "$KC 파일이 없습니다. 단계의 kubectl config 명령들로 만드세요." "There is no file $KC. Build it with the step's kubectl config commands."
who=$(timeout 8 kubectl --kubeconfig="$KC" auth whoami -o jsonpath='{.status.userInfo.username}' 2>&1)
case $who in
  system:serviceaccount:team-a:reader) ;;
  *Unauthorized*) fail "$KC 의 토큰이 받아들여지지 않습니다 (Unauthorized). 토큰이 만료됐거나 잘못 복사됐습니다. kubectl create token 으로 새로 발급해 set-credentials 를 다시 하세요." \
                       "The token in $KC is not accepted (Unauthorized): expired or mis-copied. Issue a new one with kubectl create token and run set-credentials again." ;;
  *) fail "$KC 로 인증한 주체가 reader가 아닙니다: ${who:-응답 없음}. 관리자 인증서가 아니라 reader의 토큰을 넣으세요." \
          "$KC does not authenticate as reader: ${who:-no answer}. Put reader's token in it, not the admin certificate." ;;
esac
out=$(timeout 8 kubectl --kubeconfig="$KC" get pods -n team-a -o name 2>&1) ||
  fail "$KC 로 team-a의 파드를 나열하지 못했습니다: $out" "Listing team-a's pods with $KC failed: $out"
exit 0
