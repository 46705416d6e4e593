#!/bin/bash
# Step 3: /root/uid-before holds the UID of pod web in the default namespace.
[ -s /root/uid-before ] ||
  fail "/root/uid-before 파일이 없거나 비어 있습니다. 컨트롤 플레인 노드에서 kubectl get pod web -o jsonpath='{.metadata.uid}' > /root/uid-before 를 실행하세요." \
       "The file /root/uid-before is missing or empty. On the control-plane node, run: kubectl get pod web -o jsonpath='{.metadata.uid}' > /root/uid-before"
saved=$(tr -d ' \n\r\t' </root/uid-before)
[[ $saved =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] ||
  fail "/root/uid-before에 UID 하나만 들어 있어야 합니다 (지금: $(head -c 80 /root/uid-before))." \
       "/root/uid-before should hold just one UID (it holds: $(head -c 80 /root/uid-before))."
uid=$(k get pod web -o jsonpath='{.metadata.uid}' 2>/dev/null)
[ -n "$uid" ] ||
  fail "default 네임스페이스에 파드 web이 없습니다. 2단계에서 만든 파드가 있어야 합니다." \
       "There is no pod web in the default namespace; the pod from step 2 is needed."
if [ "$saved" != "$uid" ]; then
  [ "$saved" = "$(k get pod web -n team-a -o jsonpath='{.metadata.uid}' 2>/dev/null)" ] &&
    fail "/root/uid-before에 적힌 것은 team-a 네임스페이스의 web의 UID입니다. default의 web의 UID를 적으세요 (-n 없이)." \
         "/root/uid-before holds the UID of web in namespace team-a. Write down the UID of web in default (no -n)."
  fail "/root/uid-before의 UID($saved)가 지금 파드 web의 UID($uid)와 다릅니다. 다시 적으세요." \
       "The UID in /root/uid-before ($saved) is not the UID of pod web now ($uid). Write it down again."
fi
echo "uid-before: $saved"
