#!/bin/bash
# Step 1: pod web runs nginx with an emptyDir mounted at /var/log/nginx; access.log in it is a real file with a request.
pod=$(k get pod web -o json 2>/dev/null) ||
  fail "파드 web이 없습니다. 단계의 매니페스트로 만드세요." "There is no pod named web. Create it with the step's manifest."
ctr=$(jq -r '[.spec.containers[] | select(.image | test("(^|/)nginx(:|$)"))][0].name // empty' <<<"$pod")
[ -n "$ctr" ] ||
  fail "파드 web에 nginx 이미지를 쓰는 컨테이너가 없습니다." "Pod web has no container running the nginx image."
vol=$(jq -r --arg c "$ctr" '.spec.containers[] | select(.name == $c) | .volumeMounts[]? | select((.mountPath | rtrimstr("/")) == "/var/log/nginx") | .name' <<<"$pod" | head -n 1)
[ -n "$vol" ] ||
  fail "nginx 컨테이너($ctr)가 /var/log/nginx 에 볼륨을 마운트하지 않습니다. 파드를 지우고 volumeMounts를 넣어 다시 만드세요." \
       "The nginx container ($ctr) mounts no volume at /var/log/nginx. Delete the pod and create it again with volumeMounts."
jq -e --arg v "$vol" '.spec.volumes[] | select(.name == $v) | has("emptyDir")' <<<"$pod" >/dev/null ||
  fail "/var/log/nginx 에 마운트한 볼륨 $vol 이 emptyDir가 아닙니다." "The volume $vol mounted at /var/log/nginx is not an emptyDir."
[ "$(jq -r '.status.conditions[]? | select(.type == "Ready") | .status' <<<"$pod")" = True ] ||
  fail "파드 web이 아직 준비되지 않았습니다. kubectl describe pod web 으로 확인하세요." \
       "Pod web is not ready yet. Look with: kubectl describe pod web"
out=$(timeout 8 kubectl exec web -c "$ctr" -- sh -c 'f=/var/log/nginx/access.log; if [ -L $f ]; then echo LINK; elif [ -f $f ]; then echo "LINES $(grep -c "\"GET " $f)"; else echo NONE; fi' 2>&1)
case $out in
  LINK) fail "access.log가 아직 표준 출력으로 가는 심볼릭 링크입니다. /var/log/nginx 에 볼륨이 마운트됐는지 보세요." \
             "access.log is still a symbolic link to standard output. Check that a volume is mounted at /var/log/nginx." ;;
  "LINES 0") fail "access.log에 아직 요청 기록이 없습니다. client 파드에서 wget으로 web에 요청을 보내세요." \
                  "access.log holds no request yet. Send one to web with wget from the client pod." ;;
  LINES*) ;;
  *) fail "파드 web 안의 /var/log/nginx/access.log 를 읽지 못했습니다: $out" "Could not read /var/log/nginx/access.log in pod web: $out" ;;
esac
exit 0
