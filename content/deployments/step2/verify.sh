#!/bin/bash
# Step 2: Deployment hello rolled out kubeplay/hello:v2 completely (3 ready v2 pods, no v1 left), and the
# current revision has its own change-cause (not the one of revision 1).
info=$(k get deploy hello -o go-template='{{(index .spec.template.spec.containers 0).image}}|{{.metadata.uid}}|{{index .metadata.annotations "deployment.kubernetes.io/revision"}}|{{.spec.replicas}}|{{.status.replicas}}|{{.status.updatedReplicas}}|{{.status.readyReplicas}}' 2>/dev/null) ||
  fail "디플로이먼트 hello가 없습니다." "There is no Deployment named hello."
IFS='|' read -r image uid rev replicas total updated ready <<<"$info"
[ "$image" = kubeplay/hello:v2 ] ||
  fail "디플로이먼트 hello의 이미지가 아직 kubeplay/hello:v2가 아닙니다 (지금: $image)." \
       "Deployment hello's image is not kubeplay/hello:v2 yet (it is $image)."
[ "${total:-0}" = "$replicas" ] && [ "${updated:-0}" = "$replicas" ] && [ "${ready:-0}" = "$replicas" ] ||
  fail "롤링 업데이트가 아직 끝나지 않았습니다 (파드 ${total:-0}, 새 버전 ${updated:-0}, 준비됨 ${ready:-0}). kubectl rollout status deployment/hello 로 기다리세요." \
       "The rolling update has not finished yet (pods ${total:-0}, updated ${updated:-0}, ready ${ready:-0}). Wait with: kubectl rollout status deployment/hello"
# Ready pods and their images, one per line.
ready_images=$(k get pods -l app=hello -o go-template='{{range .items}}{{$img := (index .spec.containers 0).image}}{{if not .metadata.deletionTimestamp}}{{range .status.conditions}}{{if and (eq .type "Ready") (eq .status "True")}}{{$img}}{{"\n"}}{{end}}{{end}}{{end}}{{end}}')
other=$(grep -v -x 'kubeplay/hello:v2' <<<"$ready_images" | grep -c .)
[ "$other" = 0 ] && [ "$(grep -c . <<<"$ready_images")" -ge 1 ] ||
  fail "아직 v2가 아닌 준비된 파드가 있습니다: $(grep -v -x 'kubeplay/hello:v2' <<<"$ready_images" | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
       "Some ready pods do not run v2 yet: $(grep -v -x 'kubeplay/hello:v2' <<<"$ready_images" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
[ "${rev:-0}" -ge 2 ] ||
  fail "디플로이먼트 hello의 리비전이 아직 1입니다." "Deployment hello is still at revision 1."
# ReplicaSets of this Deployment: "revision|image|change-cause".
rs=$(k get rs -l app=hello -o go-template='{{range .items}}{{$rs := .}}{{range .metadata.ownerReferences}}{{if eq .uid "'"$uid"'"}}{{index $rs.metadata.annotations "deployment.kubernetes.io/revision"}}|{{(index $rs.spec.template.spec.containers 0).image}}|{{index $rs.metadata.annotations "kubernetes.io/change-cause"}}{{"\n"}}{{end}}{{end}}{{end}}')
[ "$(grep -c . <<<"$rs")" -ge 2 ] ||
  fail "디플로이먼트 hello의 레플리카셋이 하나뿐입니다. 옛 리비전(v1)이 남아 있어야 합니다. 디플로이먼트를 지우고 다시 만들었나요?" \
       "Deployment hello has only one ReplicaSet; the old revision (v1) should still be there. Did you delete and re-create the Deployment?"
cur=$(grep "^$rev|" <<<"$rs" | head -n 1 | cut -d'|' -f3-)
first=$(grep '|kubeplay/hello:v1|' <<<"$rs" | head -n 1 | cut -d'|' -f3-)
[ -n "$cur" ] && [ "$cur" != "$first" ] ||
  fail "리비전 $rev의 CHANGE-CAUSE가 ${cur:-비어 있음}입니다. kubectl annotate deployment/hello kubernetes.io/change-cause=\"v2: …\" --overwrite 로 이번 변경의 이유를 적으세요." \
       "Revision $rev's CHANGE-CAUSE is ${cur:-empty}. Record this change's reason with: kubectl annotate deployment/hello kubernetes.io/change-cause=\"v2: …\" --overwrite"
exit 0
