#!/bin/bash
# Step 3: pod app-env runs; its container's DB_USER and DB_PASSWORD come from Secret db-creds
# (username, password) and hold those values.
db=$(k get secret db-creds -o json 2>/dev/null) ||
  fail "시크릿 db-creds가 없습니다. 1단계의 시크릿이 있어야 합니다." "There is no Secret db-creds; the Secret from step 1 is needed."
pod=$(k get pod app-env -o json 2>/dev/null) ||
  fail "파드 app-env가 없습니다." "There is no pod named app-env."
for pair in DB_USER:username DB_PASSWORD:password; do
  var=${pair%%:*} key=${pair#*:}
  ref=$(jq -r --arg v "$var" '[.spec.containers[0].env[]? | select(.name == $v)][0].valueFrom.secretKeyRef // {} | "\(.name)/\(.key)"' <<<"$pod")
  [ "$ref" = "db-creds/$key" ] ||
    fail "파드 app-env의 환경 변수 $var 가 시크릿 db-creds의 키 $key 를 가리키지 않습니다 (secretKeyRef: name: db-creds, key: $key)." \
         "Pod app-env's environment variable $var does not point at key $key of Secret db-creds (secretKeyRef: name: db-creds, key: $key)."
done
ready=$(jq -r '[.status.conditions[]? | select(.type == "Ready")][0].status // empty' <<<"$pod")
if [ "$ready" != True ]; then
  reason=$(jq -r '.status.containerStatuses[0].state.waiting.reason // empty' <<<"$pod")
  fail "파드 app-env가 아직 실행 중이 아닙니다${reason:+ ($reason)}. kubectl describe pod app-env 로 확인하세요." \
       "Pod app-env is not running yet${reason:+ ($reason)}. Look with: kubectl describe pod app-env"
fi
c=$(jq -r '.spec.containers[0].name' <<<"$pod")
for pair in DB_USER:username DB_PASSWORD:password; do
  var=${pair%%:*} key=${pair#*:}
  want=$(jq -r --arg k "$key" '.data[$k] // empty' <<<"$db" | base64 -d)
  got=$(timeout 5 kubectl exec app-env -c "$c" -- sh -c "printf '%s' \"\$$var\"" 2>/dev/null)
  [ "$got" = "$want" ] ||
    fail "실행 중인 컨테이너의 $var 값이 시크릿 db-creds의 $key 와 다릅니다. 시크릿을 바꿨다면 파드를 다시 만들어야 환경 변수에 반영됩니다." \
         "In the running container, $var differs from Secret db-creds's $key. If you changed the Secret, recreate the pod: environment variables only take it up then."
done
echo "app-env: DB_USER and DB_PASSWORD come from Secret db-creds"
