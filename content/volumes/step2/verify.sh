#!/bin/bash
# Step 2: pod pair: an nginx container and another container mount the same emptyDir (nginx at
# /usr/share/nginx/html); the nginx container restarted, and index.html in the volume predates that restart.
pod=$(k get pod pair -o json 2>/dev/null) ||
  fail "파드 pair가 없습니다." "There is no pod named pair."
n=$(jq '.spec.containers | length' <<<"$pod")
[ "$n" -ge 2 ] ||
  fail "파드 pair에는 컨테이너가 둘 있어야 합니다 (지금 $n 개)." "Pod pair should have two containers (it has $n)."
vols=$(jq -r '.spec.volumes[]? | select(has("emptyDir")) | .name' <<<"$pod")
[ -n "$vols" ] ||
  fail "파드 pair에 emptyDir 볼륨이 없습니다." "Pod pair has no emptyDir volume."
shared=""
for v in $vols; do
  [ "$(jq --arg v "$v" '[.spec.containers[] | select(any(.volumeMounts[]?; .name == $v))] | length' <<<"$pod")" -ge 2 ] && shared=$v
done
[ -n "$shared" ] ||
  fail "두 컨테이너가 함께 마운트하는 emptyDir 볼륨이 없습니다. 두 컨테이너의 volumeMounts에 같은 볼륨 이름을 쓰세요." \
       "No emptyDir volume is mounted by both containers. Use the same volume name in both containers' volumeMounts."
web=$(jq -r '[.spec.containers[] | select(.image | test("(^|/)nginx(:|$)"))][0].name // empty' <<<"$pod")
[ -n "$web" ] ||
  fail "파드 pair에 nginx 컨테이너가 없습니다." "Pod pair has no nginx container."
path=$(jq -r --arg c "$web" --arg v "$shared" '.spec.containers[] | select(.name == $c) | .volumeMounts[]? | select(.name == $v) | .mountPath' <<<"$pod")
[ "${path%/}" = /usr/share/nginx/html ] ||
  fail "nginx 컨테이너($web)는 emptyDir 볼륨($shared)을 /usr/share/nginx/html 에 마운트해야 합니다 (지금: ${path:-마운트 안 함})." \
       "The nginx container ($web) must mount the emptyDir volume ($shared) at /usr/share/nginx/html (now: ${path:-not mounted})."
status=$(jq -c --arg c "$web" '.status.containerStatuses[]? | select(.name == $c)' <<<"$pod")
restarts=$(jq -r '.restartCount // 0' <<<"$status")
started=$(jq -r '.state.running.startedAt // empty' <<<"$status")
ready=$(jq -r '[.status.conditions[]? | select(.type == "Ready")][0].status // empty' <<<"$pod")
mtime=$(timeout 6 kubectl exec pair -c "$web" -- stat -c %Y /usr/share/nginx/html/index.html 2>/dev/null)
if [ "$restarts" -lt 1 ]; then
  [ -n "$mtime" ] ||
    fail "볼륨에 아직 index.html이 없습니다. writer 컨테이너에서 /html/index.html 을 쓰세요." \
         "The volume has no index.html yet. Write /html/index.html from the writer container."
  fail "index.html은 있지만 nginx 컨테이너($web)가 아직 다시 시작되지 않았습니다. kubectl exec pair -c $web -- kill 1 을 실행하세요." \
       "index.html is there, but the nginx container ($web) has not restarted yet. Run: kubectl exec pair -c $web -- kill 1"
fi
[ -n "$started" ] && [ "$ready" = True ] ||
  fail "nginx 컨테이너($web)가 다시 시작되는 중입니다. 잠시 기다리세요." "The nginx container ($web) is restarting. Wait a moment."
[ -n "$mtime" ] ||
  fail "다시 시작된 nginx 컨테이너에서 /usr/share/nginx/html/index.html 이 보이지 않습니다. writer에서 먼저 쓰고, 그다음에 web을 다시 시작시키세요." \
       "The restarted nginx container does not see /usr/share/nginx/html/index.html. Write it from writer first, then restart web."
start=$(date -d "$started" +%s)
[ "$mtime" -le "$start" ] ||
  fail "index.html이 nginx 컨테이너가 다시 시작된 뒤에 쓰였습니다. 재시작을 견디는지 보려면 다시 시작되기 전에 있던 파일이어야 합니다. kubectl exec pair -c $web -- kill 1 로 한 번 더 다시 시작시키세요." \
       "index.html was written after the nginx container restarted; to show it survives a restart it must predate the restart. Restart once more with: kubectl exec pair -c $web -- kill 1"
echo "emptyDir $shared: index.html (written $(date -d @"$mtime" +%T)) survived the restart of $web (started $(date -d @"$start" +%T))"
