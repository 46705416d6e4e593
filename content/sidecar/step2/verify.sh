#!/bin/bash
# Step 2: pod web = nginx + kubeplay/logship sharing an emptyDir (nginx at /var/log/nginx); the shipper's log shows a 404.
pod=$(k get pod web -o json 2>/dev/null) ||
  fail "파드 web이 없습니다. 사이드카를 넣은 매니페스트로 다시 만드세요." "There is no pod named web. Create it again with the sidecar in the manifest."
nginx=$(jq -r '[.spec.containers[] | select(.image | test("(^|/)nginx(:|$)"))][0].name // empty' <<<"$pod")
[ -n "$nginx" ] ||
  fail "파드 web에 nginx 컨테이너가 없습니다." "Pod web has no nginx container."
ship=$(jq -r '[(.spec.initContainers // [])[], .spec.containers[] | select(.image | test("(^|/)kubeplay/logship(:|$)"))][0].name // empty' <<<"$pod")
[ -n "$ship" ] ||
  fail "파드 web에 kubeplay/logship 사이드카가 없습니다. 파드를 지우고 사이드카를 넣어 다시 만드세요 (컨테이너는 나중에 더할 수 없습니다)." \
       "Pod web has no kubeplay/logship sidecar. Delete the pod and create it again with the sidecar (containers cannot be added later)."
vol=$(jq -r --arg c "$nginx" '.spec.containers[] | select(.name == $c) | .volumeMounts[]? | select((.mountPath | rtrimstr("/")) == "/var/log/nginx") | .name' <<<"$pod" | head -n 1)
[ -n "$vol" ] ||
  fail "nginx 컨테이너가 /var/log/nginx 에 볼륨을 마운트하지 않습니다." "The nginx container mounts no volume at /var/log/nginx."
jq -e --arg v "$vol" '.spec.volumes[] | select(.name == $v) | has("emptyDir")' <<<"$pod" >/dev/null ||
  fail "/var/log/nginx 에 마운트한 볼륨 $vol 이 emptyDir가 아닙니다." "The volume $vol mounted at /var/log/nginx is not an emptyDir."
jq -e --arg c "$ship" --arg v "$vol" '[(.spec.initContainers // [])[], .spec.containers[] | select(.name == $c) | .volumeMounts[]? | select(.name == $v)] | length > 0' <<<"$pod" >/dev/null ||
  fail "사이드카($ship)가 nginx와 같은 볼륨($vol)을 마운트하지 않습니다. volumeMounts의 name을 맞추세요." \
       "The sidecar ($ship) does not mount nginx's volume ($vol). Use the same name in its volumeMounts."
[ "$(jq -r '.status.conditions[]? | select(.type == "Ready") | .status' <<<"$pod")" = True ] ||
  fail "파드 web의 컨테이너가 아직 모두 준비되지 않았습니다. kubectl describe pod web 으로 확인하세요." \
       "Not all of pod web's containers are ready yet. Look with: kubectl describe pod web"
logs=$(timeout 8 kubectl logs web -c "$ship" --tail=500 2>/dev/null)
grep -q 'access\.log: .*"GET [^"]*" 404 ' <<<"$logs" ||
  fail "사이드카($ship)의 로그에 아직 404 접속 기록이 없습니다. client 파드에서 없는 페이지(예: /no-such-page)를 요청해 보세요." \
       "The sidecar ($ship) has not shipped a 404 request yet. Request a missing page (e.g. /no-such-page) from the client pod."
exit 0
