#!/bin/bash
# Step 4: ReplicaSet frontend selects with In and NotIn (env NotIn dev); pod shop-dev (env=dev) exists
# and was not adopted; frontend's pods are ready.
info=$(k get rs frontend -o jsonpath='{.metadata.uid}|{.spec.selector.matchExpressions[?(@.operator=="In")].key}|{.spec.selector.matchExpressions[?(@.operator=="NotIn")].key}|{.spec.selector.matchExpressions[?(@.key=="env")].values}|{.spec.replicas}|{.status.readyReplicas}' 2>/dev/null) ||
  fail "레플리카셋 frontend가 없습니다." "There is no ReplicaSet named frontend."
IFS='|' read -r uid inkeys notinkeys envvals replicas ready <<<"$info"
[ -n "$inkeys" ] ||
  fail "레플리카셋 frontend의 셀렉터에 operator: In 인 matchExpressions가 없습니다." \
       "ReplicaSet frontend's selector has no matchExpressions entry with operator: In."
[[ " $notinkeys " == *" env "* ]] && [[ $envvals == *'"dev"'* ]] ||
  fail "레플리카셋 frontend의 셀렉터에 env NotIn [dev] 조건이 없습니다." \
       "ReplicaSet frontend's selector has no condition env NotIn [dev]."
pod=$(k get pod shop-dev -o jsonpath='{.metadata.labels.app}|{.metadata.labels.tier}|{.metadata.labels.env}|{.metadata.ownerReferences}' 2>/dev/null) ||
  fail "파드 shop-dev가 없습니다." "There is no pod named shop-dev."
IFS='|' read -r app tier env owners <<<"$pod"
[ "$app" = shop ] && [ "$tier" = frontend ] && [ "$env" = dev ] ||
  fail "파드 shop-dev의 레이블이 app=shop, tier=frontend, env=dev가 아닙니다." \
       "Pod shop-dev does not have the labels app=shop, tier=frontend, env=dev."
[ -z "$owners" ] ||
  fail "파드 shop-dev가 어떤 컨트롤러에 입양되었습니다. env=dev인 파드는 NotIn 조건 때문에 골라지지 않아야 합니다." \
       "Pod shop-dev has been adopted by a controller. A pod with env=dev must be left out by the NotIn condition."
[ "${replicas:-0}" -ge 1 ] && [ "${ready:-0}" = "$replicas" ] ||
  fail "레플리카셋 frontend의 파드가 아직 모두 준비되지 않았습니다 (원함 $replicas, 준비됨 ${ready:-0})." \
       "ReplicaSet frontend's pods are not all ready yet (wanted $replicas, ready ${ready:-0})."
mine=$(k get pods -l 'app=shop,tier in (web,frontend),env notin (dev)' -o jsonpath='{range .items[*]}{.metadata.ownerReferences[0].uid}{"\n"}{end}' | grep -cx "$uid")
[ "$mine" -ge 1 ] ||
  fail "레플리카셋 frontend가 만든 파드가 셀렉터 'app=shop,tier in (web,frontend),env notin (dev)' 로 골라지지 않습니다. 템플릿 레이블을 확인하세요." \
       "No pod of ReplicaSet frontend matches 'app=shop,tier in (web,frontend),env notin (dev)'. Check the template labels."
exit 0
