#!/bin/bash
# Step 4: a RoleBinding in team-a gives ClusterRole view to SA reader (so reader reads deployments in team-a but not in default); a ClusterRoleBinding lets reader list nodes.
SA=system:serviceaccount:team-a:reader
subj='any(.subjects[]?; .kind == "ServiceAccount" and .name == "reader" and .namespace == "team-a")'
rb=$(k get rolebindings -n team-a -o json | jq -r ".items[] | select(.roleRef.kind == \"ClusterRole\" and .roleRef.name == \"view\") | select($subj) | .metadata.name" | head -n 1)
[ -n "$rb" ] ||
  fail "team-a에 클러스터롤 view를 reader에게 주는 롤바인딩이 없습니다. kubectl create rolebinding reader-view --clusterrole=view --serviceaccount=team-a:reader -n team-a" \
       "No RoleBinding in team-a gives the ClusterRole view to reader. kubectl create rolebinding reader-view --clusterrole=view --serviceaccount=team-a:reader -n team-a"
[ "$(kubectl auth can-i list deployments.apps -n team-a --as=$SA 2>/dev/null)" = yes ] ||
  fail "reader가 아직 team-a의 디플로이먼트를 읽을 수 없습니다." "reader still cannot read Deployments in team-a."
[ "$(kubectl auth can-i list deployments.apps -n default --as=$SA 2>/dev/null)" = no ] ||
  fail "reader가 default 네임스페이스의 디플로이먼트까지 읽을 수 있습니다. view는 클러스터롤바인딩이 아니라 team-a의 롤바인딩으로만 주세요 (kubectl get clusterrolebindings -o wide | grep team-a/reader)." \
       "reader can read Deployments in the default namespace too. Give view only through a RoleBinding in team-a, not a ClusterRoleBinding (kubectl get clusterrolebindings -o wide | grep team-a/reader)."
crb=$(k get clusterrolebindings -o json | jq -r ".items[] | select($subj) | .metadata.name" | head -n 1)
[ -n "$crb" ] ||
  fail "reader에게 연결된 클러스터롤바인딩이 없습니다. 노드는 클러스터롤바인딩으로만 줄 수 있습니다." \
       "No ClusterRoleBinding applies to reader. Nodes can only be granted through a ClusterRoleBinding."
[ "$(kubectl auth can-i list nodes --as=$SA 2>/dev/null)" = yes ] ||
  fail "reader가 아직 노드를 나열할 수 없습니다. 클러스터롤 node-reader가 nodes에 get, list, watch를 허용하는지 보세요." \
       "reader still cannot list nodes. Check that the ClusterRole node-reader allows get, list, watch on nodes."
exit 0
