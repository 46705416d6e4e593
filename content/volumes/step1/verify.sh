#!/bin/bash
# Step 1: pod box (nginx) restarted its container at least once, and the running container has no note.txt.
k get pod box >/dev/null 2>&1 ||
  fail "파드 box가 없습니다. kubectl run box --image=nginx 로 만드세요." "There is no pod named box. Create it with: kubectl run box --image=nginx"
image=$(k get pod box -o jsonpath='{.spec.containers[0].image}')
case $image in
  nginx | nginx:* | */nginx | */nginx:*) ;;
  *) fail "파드 box의 이미지가 nginx가 아닙니다 (지금: $image)." "Pod box does not run the nginx image (it runs $image)." ;;
esac
restarts=$(k get pod box -o jsonpath='{.status.containerStatuses[0].restartCount}')
[ "${restarts:-0}" -ge 1 ] ||
  fail "파드 box의 컨테이너가 아직 한 번도 다시 시작되지 않았습니다. note.txt를 쓴 뒤 kubectl exec box -- kill 1 을 실행하세요." \
       "Pod box's container has not restarted yet. After writing note.txt, run: kubectl exec box -- kill 1"
ready=$(k get pod box -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
[ "$ready" = True ] ||
  fail "파드 box의 컨테이너가 다시 시작되는 중입니다. 잠시 기다리세요." "Pod box's container is restarting. Wait a moment."
ls=$(timeout 6 kubectl exec box -- ls /usr/share/nginx/html 2>&1) ||
  fail "파드 box 안을 들여다보지 못했습니다: $ls" "Could not look inside pod box: $ls"
! grep -qx 'note.txt' <<<"$ls" ||
  fail "다시 시작된 컨테이너에 note.txt가 있습니다. 재시작 뒤에 다시 쓴 것 같습니다. kubectl exec box -- kill 1 로 한 번 더 다시 시작시키세요." \
       "The restarted container has a note.txt: it seems to have been written after the restart. Restart once more with: kubectl exec box -- kill 1"
echo "box restarted $restarts time(s); note.txt is gone"
