#!/bin/bash
# Step 5: ClusterRoleBinding reader-nodes and ClusterRole node-reader are gone; reader cannot list nodes but still lists pods in team-a.
SA=system:serviceaccount:team-a:reader
k get clusterrolebinding reader-nodes >/dev/null 2>&1 &&
  fail "클러스터롤바인딩 reader-nodes가 아직 있습니다. kubectl delete clusterrolebinding reader-nodes" \
       "ClusterRoleBinding reader-nodes still exists. kubectl delete clusterrolebinding reader-nodes"
k get clusterrole node-reader >/dev/null 2>&1 &&
  fail "클러스터롤 node-reader가 아직 있습니다. 필요 없어진 규칙도 지우세요: kubectl delete clusterrole node-reader" \
       "ClusterRole node-reader still exists. Delete the rules no longer needed too: kubectl delete clusterrole node-reader"
[ "$(kubectl auth can-i list nodes --as=$SA 2>/dev/null)" = no ] ||
  fail "reader가 아직 노드를 나열할 수 있습니다. 다른 클러스터롤바인딩이 남아 있는지 보세요 (kubectl get clusterrolebindings -o wide | grep team-a/reader)." \
       "reader can still list nodes. Check for another ClusterRoleBinding (kubectl get clusterrolebindings -o wide | grep team-a/reader)."
[ "$(kubectl auth can-i list pods -n team-a --as=$SA 2>/dev/null)" = yes ] ||
  fail "reader가 team-a의 파드를 읽을 수 없게 됐습니다. 롤바인딩 reader-pod-reader를 2단계처럼 다시 만드세요." \
       "reader can no longer read pods in team-a. Create the RoleBinding reader-pod-reader again as in step 2."
exit 0
