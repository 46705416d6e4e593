#!/bin/bash
# Step 4: pod web (default) was deleted and recreated: it runs, under the same name, with a UID other than /root/uid-before.
[ -s /root/uid-before ] ||
  fail "/root/uid-before 파일이 없습니다. 3단계에서 적어 둔 UID가 있어야 비교할 수 있습니다." \
       "The file /root/uid-before is missing; the UID written down in step 3 is needed for the comparison."
saved=$(tr -d ' \n\r\t' </root/uid-before)
[[ $saved =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] ||
  fail "/root/uid-before에 UID 하나만 들어 있어야 합니다." "/root/uid-before should hold just one UID."
uid=$(k get pod web -o jsonpath='{.metadata.uid}' 2>/dev/null)
[ -n "$uid" ] ||
  fail "default 네임스페이스에 파드 web이 없습니다. 지운 뒤 kubectl run web --image=nginx 로 다시 만드세요." \
       "There is no pod web in the default namespace. After deleting it, create it again with: kubectl run web --image=nginx"
[ "$uid" != "$saved" ] ||
  fail "파드 web의 UID가 아직 /root/uid-before와 같습니다 ($uid). 같은 파드입니다. 지우고 다시 만드세요." \
       "Pod web still has the UID in /root/uid-before ($uid): it is the same pod. Delete it and create it again."
[ -z "$(k get pod web -o jsonpath='{.metadata.deletionTimestamp}')" ] ||
  fail "파드 web이 아직 지워지는 중입니다. 잠시 기다리세요." "Pod web is still being deleted. Wait a moment."
ready=$(k get pod web -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
[ "$ready" = True ] ||
  fail "새 파드 web이 아직 준비되지 않았습니다. 잠시 기다리세요." "The new pod web is not ready yet. Wait a moment."
echo "pod web: uid $saved -> $uid"
