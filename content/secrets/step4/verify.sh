#!/bin/bash
# Step 4: pod app-files runs with Secret db-creds mounted at /etc/db (a tmpfs); the files username and
# password hold the Secret's values.
db=$(k get secret db-creds -o json 2>/dev/null) ||
  fail "시크릿 db-creds가 없습니다. 1단계의 시크릿이 있어야 합니다." "There is no Secret db-creds; the Secret from step 1 is needed."
pod=$(k get pod app-files -o json 2>/dev/null) ||
  fail "파드 app-files가 없습니다." "There is no pod named app-files."
vol=$(jq -r '[.spec.volumes[]? | select(.secret.secretName == "db-creds")][0].name // empty' <<<"$pod")
[ -n "$vol" ] ||
  fail "파드 app-files에 시크릿 db-creds를 쓰는 볼륨이 없습니다 (secret: secretName: db-creds)." \
       "Pod app-files has no volume using Secret db-creds (secret: secretName: db-creds)."
c=$(jq -r --arg v "$vol" '[.spec.containers[] | select(any(.volumeMounts[]?; .name == $v and (.mountPath | rtrimstr("/")) == "/etc/db"))][0].name // empty' <<<"$pod")
[ -n "$c" ] ||
  fail "파드 app-files의 컨테이너가 시크릿 볼륨($vol)을 /etc/db 에 마운트하지 않습니다." \
       "No container of pod app-files mounts the secret volume ($vol) at /etc/db."
ready=$(jq -r '[.status.conditions[]? | select(.type == "Ready")][0].status // empty' <<<"$pod")
[ "$ready" = True ] ||
  fail "파드 app-files가 아직 실행 중이 아닙니다. kubectl describe pod app-files 로 확인하세요." \
       "Pod app-files is not running yet. Look with: kubectl describe pod app-files"
fstype=$(timeout 5 kubectl exec app-files -c "$c" -- sh -c 'grep " /etc/db " /proc/mounts' 2>/dev/null | awk '{print $3}')
[ "$fstype" = tmpfs ] ||
  fail "/etc/db 가 tmpfs로 마운트되어 있지 않습니다 (지금: ${fstype:-마운트 없음})." "/etc/db is not mounted as a tmpfs (it is: ${fstype:-not mounted})."
for key in username password; do
  want=$(jq -r --arg k "$key" '.data[$k] // empty' <<<"$db" | base64 -d)
  got=$(timeout 5 kubectl exec app-files -c "$c" -- cat "/etc/db/$key" 2>/dev/null)
  [ "$got" = "$want" ] ||
    fail "/etc/db/$key 의 내용이 시크릿 db-creds의 $key 와 다릅니다. 시크릿을 방금 바꿨다면 1~2분 기다리세요." \
         "/etc/db/$key differs from Secret db-creds's $key. If you just changed the Secret, wait a minute or two."
done
echo "app-files: Secret db-creds mounted at /etc/db (tmpfs)"
