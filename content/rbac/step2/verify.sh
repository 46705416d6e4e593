#!/bin/bash
# Step 2: Role pod-reader in team-a allows get/list/watch on pods and nothing that writes; a RoleBinding gives it to SA team-a:reader; reader can list but not delete pods.
SA=system:serviceaccount:team-a:reader
role=$(k get role pod-reader -n team-a -o json 2>/dev/null) ||
  fail "team-a에 롤 pod-reader가 없습니다. kubectl create role pod-reader --verb=get,list,watch --resource=pods -n team-a 로 만드세요." \
       "There is no Role pod-reader in team-a. Create it with: kubectl create role pod-reader --verb=get,list,watch --resource=pods -n team-a"
# verbs the role grants on core pods
verbs=$(jq -r '[.rules[]? | select(any((.apiGroups // [])[]; . == "" or . == "*")) | select(any((.resources // [])[]; . == "pods" or . == "*")) | .verbs[]] | unique | join(",")' <<<"$role")
for v in get list watch; do
  [[ ,$verbs, == *",$v,"* || ,$verbs, == *",*,"* ]] ||
    fail "롤 pod-reader가 파드에 대해 $v 를 허용하지 않습니다 (지금: ${verbs:-없음})." "Role pod-reader does not allow $v on pods (it allows: ${verbs:-nothing})."
done
extra=$(jq -r '[.rules[]?.verbs[]? | select(. != "get" and . != "list" and . != "watch")] | unique | join(",")' <<<"$role")
[ -z "$extra" ] ||
  fail "롤 pod-reader가 읽기 말고도 허용합니다: $extra. get, list, watch 만 남기세요." \
       "Role pod-reader allows more than reading: $extra. Keep only get, list and watch."
rb=$(k get rolebindings -n team-a -o json | jq -r '.items[] | select(.roleRef.kind == "Role" and .roleRef.name == "pod-reader") | select(any(.subjects[]?; .kind == "ServiceAccount" and .name == "reader" and ((.namespace // "team-a") == "team-a"))) | .metadata.name' | head -n 1)
[ -n "$rb" ] ||
  fail "team-a에 롤 pod-reader를 서비스 어카운트 reader에게 주는 롤바인딩이 없습니다. kubectl create rolebinding reader-pod-reader --role=pod-reader --serviceaccount=team-a:reader -n team-a" \
       "No RoleBinding in team-a gives Role pod-reader to ServiceAccount reader. kubectl create rolebinding reader-pod-reader --role=pod-reader --serviceaccount=team-a:reader -n team-a"
[ "$(kubectl auth can-i list pods -n team-a --as=$SA 2>/dev/null)" = yes ] ||
  fail "reader가 아직 team-a의 파드를 나열할 수 없습니다." "reader still cannot list pods in team-a."
[ "$(kubectl auth can-i delete pods -n team-a --as=$SA 2>/dev/null)" = no ] ||
  fail "reader가 team-a의 파드를 지울 수 있습니다. 읽기 권한만 줘야 합니다. 다른 롤바인딩이 더 주고 있지 않은지 보세요 (kubectl get rolebindings -n team-a -o wide)." \
       "reader can delete pods in team-a; it should only read. Check that no other binding grants more (kubectl get rolebindings -n team-a -o wide)."
exit 0
