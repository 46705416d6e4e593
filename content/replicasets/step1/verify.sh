#!/bin/bash
# Step 1: ReplicationController rc-web, equality selector app=rc-web, nginx template, scaled to 3 ready pods.
info=$(k get rc rc-web -o jsonpath='{.spec.selector.app}|{.spec.template.spec.containers[0].image}|{.spec.replicas}|{.status.readyReplicas}' 2>/dev/null) ||
  fail "레플리케이션 컨트롤러 rc-web이 없습니다." "There is no ReplicationController named rc-web."
IFS='|' read -r sel image replicas ready <<<"$info"
[ "$sel" = rc-web ] ||
  fail "rc-web의 셀렉터가 app: rc-web이 아닙니다 (지금 app: ${sel:-없음})." "The selector of rc-web is not app: rc-web (app is ${sel:-missing})."
case $image in
  nginx | nginx:* | */nginx | */nginx:*) ;;
  *) fail "rc-web의 파드 템플릿 이미지가 nginx가 아닙니다 (지금: $image)." "rc-web's pod template does not use the nginx image (it uses $image)." ;;
esac
[ "$replicas" = 3 ] ||
  fail "rc-web의 레플리카 수가 3이 아닙니다 (지금 $replicas). kubectl scale rc rc-web --replicas=3 으로 바꾸세요." \
       "rc-web's replica count is not 3 (it is $replicas). Change it with: kubectl scale rc rc-web --replicas=3"
[ "${ready:-0}" = 3 ] ||
  fail "rc-web의 파드 3개가 아직 모두 준비되지 않았습니다 (준비됨: ${ready:-0}). 잠시 뒤 다시 확인하세요." \
       "Not all three of rc-web's pods are ready yet (ready: ${ready:-0}). Check again in a moment."
owned=$(k get pods -l app=rc-web -o jsonpath='{range .items[*]}{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}{"\n"}{end}' | grep -cx 'ReplicationController/rc-web')
[ "$owned" -ge 3 ] ||
  fail "rc-web이 관리하는 파드가 3개가 아닙니다 (지금 $owned 개)." "rc-web does not manage three pods (it manages $owned)."
exit 0
