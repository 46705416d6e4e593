#!/bin/bash
# Step 3: Job report has logship as an ordinary container; its main container has ended with 0, the sidecar still runs, the Job is not complete.
job=$(k get job report -o json 2>/dev/null) ||
  fail "잡 report가 없습니다. 단계의 매니페스트로 만드세요." "There is no Job named report. Create it with the step's manifest."
ship=$(jq -r '[.spec.template.spec.containers[] | select(.image | test("(^|/)kubeplay/logship(:|$)"))][0].name // empty' <<<"$job")
if [ -z "$ship" ]; then
  jq -e '[(.spec.template.spec.initContainers // [])[] | select(.image | test("(^|/)kubeplay/logship(:|$)"))] | length > 0' <<<"$job" >/dev/null &&
    fail "잡 report의 사이드카가 initContainers에 있습니다. 이 단계에서는 일반 컨테이너(containers)로 두세요. kubectl delete job report 후 다시 만드세요." \
         "Job report has its sidecar in initContainers. In this step it belongs in containers. Delete it (kubectl delete job report) and create it again."
  fail "잡 report의 containers에 kubeplay/logship 사이드카가 없습니다." "Job report has no kubeplay/logship sidecar in its containers."
fi
[ "$(jq '.spec.template.spec.containers | length' <<<"$job")" -ge 2 ] ||
  fail "잡 report의 파드에는 주 컨테이너와 사이드카, 두 컨테이너가 있어야 합니다." "Job report's pod needs two containers: the main one and the sidecar."
jq -e '.status.conditions[]? | select(.type == "Complete" and .status == "True")' <<<"$job" >/dev/null &&
  fail "잡 report가 완료됐습니다. 이 단계에서는 일반 사이드카 때문에 끝나지 않는 잡을 봐야 합니다. 매니페스트를 확인하세요." \
       "Job report has completed. This step is about a Job that cannot finish because of an ordinary sidecar; check the manifest."
pod=$(k get pods -l job-name=report -o json 2>/dev/null | jq '.items | sort_by(.metadata.creationTimestamp) | last // empty')
[ -n "$pod" ] ||
  fail "잡 report의 파드가 아직 없습니다. 잠시 기다리세요." "Job report has no pod yet. Wait a moment."
main=$(jq -r --arg s "$ship" '.status.containerStatuses[]? | select(.name != $s) | "\(.name) \(.state.terminated.exitCode // "running")"' <<<"$pod" | head -n 1)
side=$(jq -r --arg s "$ship" '.status.containerStatuses[]? | select(.name == $s) | if .state.running then "running" else "stopped" end' <<<"$pod")
case $main in
  *" 0") ;;
  *" running"|"") fail "잡 report의 주 컨테이너가 아직 일하는 중입니다. 몇 초 기다리세요." "Job report's main container is still at work. Wait a few seconds." ;;
  *) fail "잡 report의 주 컨테이너가 실패로 끝났습니다 (${main}). kubectl logs job/report 로 확인하세요." \
          "Job report's main container failed (${main}). Look with: kubectl logs job/report" ;;
esac
[ "$side" = running ] ||
  fail "사이드카($ship)가 실행 중이 아닙니다 (${side:-unknown})." "The sidecar ($ship) is not running (${side:-unknown})."
exit 0
