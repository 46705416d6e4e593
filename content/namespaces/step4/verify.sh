#!/bin/bash
# A ResourceQuota in dev caps pods at 2, and dev's unfinished pods fill it.
quotas=$(k get resourcequota -n dev -o json 2>/dev/null) || fail "dev 네임스페이스를 읽지 못했습니다. 네임스페이스가 있는지 보세요." "Could not read namespace dev. Check that it exists."
name=$(jq -r '[.items[] | select(.spec.hard.pods == "2")][0].metadata.name // empty' <<<"$quotas")
if [ -z "$name" ]; then
  if [ "$(jq '.items | length' <<<"$quotas")" -gt 0 ]; then
    fail "dev의 리소스쿼터 가운데 pods를 2로 제한하는 것이 없습니다(kubectl describe quota -n dev)." \
      "No ResourceQuota in dev limits pods to 2 (kubectl describe quota -n dev)."
  fi
  fail "dev 네임스페이스에 리소스쿼터가 없습니다. kubectl create quota dev-quota --hard=pods=2 -n dev로 만드세요." \
    "There is no ResourceQuota in namespace dev. Create one with kubectl create quota dev-quota --hard=pods=2 -n dev."
fi
running=$(k get pods -n dev -o json | jq '[.items[] | select(.status.phase != "Succeeded" and .status.phase != "Failed")] | length')
[ "$running" -ge 2 ] || fail "dev에서 끝나지 않은 파드가 ${running}개뿐입니다. 한도(2개)까지 파드를 하나 더 만드세요(예: kubectl run web2 --image=nginx -n dev)." \
  "dev has only $running unfinished pod(s). Create one more to reach the limit of 2 (e.g. kubectl run web2 --image=nginx -n dev)."
used=$(k get resourcequota "$name" -n dev -o jsonpath='{.status.used.pods}')
[ "$used" = 2 ] || fail "쿼터 $name의 사용량이 아직 2가 아닙니다(지금: ${used:-?}). 잠시 뒤 다시 확인하세요." \
  "Quota $name does not show 2 pods used yet (it shows ${used:-?}). Check again in a moment."
echo "quota $name: pods $used/2"
