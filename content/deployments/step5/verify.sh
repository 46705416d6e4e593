#!/bin/bash
# Step 5: Deployments blue (v1) and green (v2) are ready; Service shop's selector is app=shop,color=green
# and it answers with version v2 only.
for d in blue:kubeplay/hello:v1 green:kubeplay/hello:v2; do
  name=${d%%:*} want=${d#*:}
  info=$(k get deploy "$name" -o jsonpath='{.spec.template.spec.containers[0].image}|{.spec.template.metadata.labels.app}|{.spec.template.metadata.labels.color}|{.spec.replicas}|{.status.readyReplicas}' 2>/dev/null) ||
    fail "디플로이먼트 $name이 없습니다. 블루도 지우지 말고 남겨 두세요." "There is no Deployment named $name. Keep blue too."
  IFS='|' read -r image app color replicas ready <<<"$info"
  [ "$image" = "$want" ] ||
    fail "디플로이먼트 $name의 이미지가 $want이 아닙니다 (지금: $image)." "Deployment $name's image is not $want (it is $image)."
  [ "$app" = shop ] && [ "$color" = "$name" ] ||
    fail "디플로이먼트 $name의 파드 레이블이 app=shop, color=$name이 아닙니다." "Deployment $name's pod labels are not app=shop, color=$name."
  [ "${replicas:-0}" -ge 1 ] && [ "${ready:-0}" = "$replicas" ] ||
    fail "디플로이먼트 $name의 파드가 아직 모두 준비되지 않았습니다 (준비됨 ${ready:-0}/$replicas)." \
         "Deployment $name's pods are not all ready yet (ready ${ready:-0}/$replicas)."
done
sel=$(k get svc shop -o jsonpath='{.spec.selector.app}|{.spec.selector.color}|{.spec.ports[0].targetPort}' 2>/dev/null) ||
  fail "서비스 shop이 없습니다." "There is no Service named shop."
IFS='|' read -r app color tport <<<"$sel"
[ "$tport" = 8080 ] ||
  fail "서비스 shop의 targetPort가 8080이 아닙니다 (지금 $tport)." "Service shop's targetPort is not 8080 (it is $tport)."
[ "$app" = shop ] ||
  fail "서비스 shop의 셀렉터에 app: shop이 없습니다." "Service shop's selector has no app: shop."
[ "$color" = green ] ||
  fail "서비스 shop의 셀렉터가 아직 color: ${color:-없음}입니다. kubectl patch 로 green으로 바꾸세요." \
       "Service shop's selector still says color: ${color:-nothing}. Switch it to green with kubectl patch."
answers=$(for i in 1 2 3 4; do timeout 4 kubectl exec deploy/blue -- wget -qO- -T 2 http://shop 2>&1; done)
[ "$(grep -c 'version v2' <<<"$answers")" = 4 ] ||
  fail "서비스 shop이 아직 모두 'version v2'로 답하지 않습니다: $(tr '\n' ' ' <<<"$answers")" \
       "Service shop does not answer 'version v2' every time yet: $(tr '\n' ' ' <<<"$answers")"
exit 0
