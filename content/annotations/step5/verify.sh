#!/bin/bash
# Deployment hello rolled out hello:v2, and its last two revisions carry different, non-empty change-causes.
k get deployment hello -n default >/dev/null 2>&1 || fail "default 네임스페이스에 디플로이먼트 hello가 없습니다. kubectl create deployment hello --image=docker.io/kubeplay/hello:v1로 시작하세요." \
  "There is no Deployment hello in the default namespace. Start with kubectl create deployment hello --image=docker.io/kubeplay/hello:v1."
dep=$(k get deployment hello -n default -o json) || fail "디플로이먼트 hello를 읽지 못했습니다." "Could not read Deployment hello."
image=$(jq -r '.spec.template.spec.containers[0].image' <<<"$dep")
[[ $image == *kubeplay/hello:v2 ]] || fail "디플로이먼트 hello의 이미지가 아직 v2가 아닙니다(지금 이미지: $image). kubectl set image로 바꾸세요." \
  "Deployment hello does not run v2 yet (its image is $image). Change it with kubectl set image."
jq -e '(.status.observedGeneration // 0) >= .metadata.generation and (.status.updatedReplicas // 0) == .spec.replicas and (.status.availableReplicas // 0) == .spec.replicas and (.status.replicas // 0) == .spec.replicas' <<<"$dep" >/dev/null \
  || fail "디플로이먼트 hello의 롤아웃이 아직 끝나지 않았습니다. kubectl rollout status deployment/hello로 기다리세요." \
    "Deployment hello has not finished rolling out. Wait with kubectl rollout status deployment/hello."
revs=$(k get rs -n default -o json | jq -c '[.items[]
  | select(any(.metadata.ownerReferences[]?; .kind == "Deployment" and .name == "hello"))
  | {name: .metadata.name,
     rev: ((.metadata.annotations["deployment.kubernetes.io/revision"] // "0") | tonumber),
     cause: (.metadata.annotations["kubernetes.io/change-cause"] // "")}]
  | sort_by(.rev)')
[ "$(jq length <<<"$revs")" -ge 2 ] || fail "디플로이먼트 hello의 리비전이 하나뿐입니다. 이미지를 v2로 바꿔 새 리비전을 만드세요." \
  "Deployment hello has a single revision. Change the image to v2 to make a new one."
last=$(jq -r '.[-1].cause' <<<"$revs")
prev=$(jq -r '.[-2].cause' <<<"$revs")
prevname=$(jq -r '.[-2].name' <<<"$revs")
[ -n "$last" ] || fail "최신 리비전에 change-cause가 없습니다. kubectl annotate deployment hello kubernetes.io/change-cause=\"...\" --overwrite로 이유를 적으세요." \
  "The latest revision has no change-cause. Write a reason with kubectl annotate deployment hello kubernetes.io/change-cause=\"...\" --overwrite."
[ -n "$prev" ] || fail "이전 리비전(레플리카셋 $prevname)에 change-cause가 없습니다. 그 레플리카셋에 직접 붙일 수 있습니다: kubectl annotate rs $prevname kubernetes.io/change-cause=\"v1 첫 배포\"" \
  "The previous revision (ReplicaSet $prevname) has no change-cause. You can annotate that ReplicaSet directly: kubectl annotate rs $prevname kubernetes.io/change-cause=\"v1 first release\""
[ "$last" != "$prev" ] || fail "최신 리비전과 이전 리비전의 change-cause가 같습니다(\"$last\"). 이미지를 바꾼 다음 --overwrite로 새 이유를 적으세요. 이전 리비전은 kubectl annotate rs $prevname kubernetes.io/change-cause=\"...\" --overwrite로 고칠 수 있습니다." \
  "The latest and the previous revision have the same change-cause (\"$last\"). Write the new reason with --overwrite after changing the image; fix the previous revision with kubectl annotate rs $prevname kubernetes.io/change-cause=\"...\" --overwrite."
echo "history: $prev -> $last"
