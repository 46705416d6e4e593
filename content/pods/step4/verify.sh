#!/bin/bash
# Step 4: pod "shared": nginx and a sidecar mount the same emptyDir; the sidecar's log shows nginx's requests.
# One API call: "V volume its-keys" per volume, "C name image vol=path..." per container, "R status" for Ready.
info=$(k get pod shared -o go-template='{{range .spec.volumes}}V {{.name}}{{range $k, $v := .}} {{$k}}{{end}}{{"\n"}}{{end}}{{range .spec.containers}}C {{.name}} {{.image}}{{range .volumeMounts}} {{.name}}={{.mountPath}}{{end}}{{"\n"}}{{end}}{{range .status.conditions}}{{if eq .type "Ready"}}R {{.status}}{{"\n"}}{{end}}{{end}}' 2>/dev/null) ||
  fail "파드 shared가 없습니다." "There is no pod named shared."
containers=$(grep '^C ' <<<"$info")
n=$(grep -c . <<<"$containers")
[ "$n" -ge 2 ] ||
  fail "파드 shared에는 컨테이너가 둘 있어야 합니다 (지금 $n 개)." "Pod shared should have two containers (it has $n)."
vols=$(grep '^V .* emptyDir\b' <<<"$info" | cut -d' ' -f2)
[ -n "$vols" ] ||
  fail "파드 shared에 emptyDir 볼륨이 없습니다." "Pod shared has no emptyDir volume."
shared_vol=""
for v in $vols; do
  [ "$(grep -c " $v=" <<<"$containers")" -ge 2 ] && shared_vol=$v
done
[ -n "$shared_vol" ] ||
  fail "두 컨테이너가 함께 마운트하는 emptyDir 볼륨이 없습니다. 두 컨테이너의 volumeMounts에 같은 볼륨 이름을 쓰세요." \
       "No emptyDir volume is mounted by both containers. Use the same volume name in both containers' volumeMounts."
web=$(grep -E '^C [^ ]+ ([^ ]*/)?nginx(:[^ ]*)?( |$)' <<<"$containers" | head -n 1)
[ -n "$web" ] ||
  fail "파드 shared에 nginx 컨테이너가 없습니다." "Pod shared has no nginx container."
path=$(tr ' ' '\n' <<<"$web" | grep -m1 "^$shared_vol=" | cut -d= -f2-)
[ -n "$path" ] ||
  fail "nginx 컨테이너가 볼륨($shared_vol)을 마운트하지 않습니다." "The nginx container does not mount the volume $shared_vol."
[ "${path%/}" = /var/log/nginx ] ||
  fail "nginx 컨테이너는 볼륨을 /var/log/nginx 에 마운트해야 로그 파일이 볼륨에 쌓입니다 (지금: $path)." \
       "The nginx container must mount the volume at /var/log/nginx for its log files to land in it (now: $path)."
grep -qx 'R True' <<<"$info" ||
  fail "파드 shared의 컨테이너가 아직 모두 준비되지 않았습니다. kubectl describe pod shared 로 확인하세요." \
       "Not all of pod shared's containers are ready yet. Look with: kubectl describe pod shared"
side=$(grep -v -F "$web" <<<"$containers" | head -n 1 | cut -d' ' -f2)
k logs shared -c "$side" --tail=200 2>/dev/null | grep -q '"GET /' ||
  fail "사이드카($side)의 로그에 아직 접속 기록이 없습니다. curl로 파드 IP에 요청을 보내 보세요." \
       "The sidecar ($side) has logged no request yet. Send one to the pod IP with curl."
exit 0
