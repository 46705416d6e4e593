#!/bin/bash
# Step 4: Job report-native has logship as a native sidecar (initContainer, restartPolicy Always), is Complete, and the sidecar shipped all three lines.
job=$(k get job report-native -o json 2>/dev/null) ||
  fail "잡 report-native가 없습니다. 단계의 매니페스트로 만드세요." "There is no Job named report-native. Create it with the step's manifest."
ship=$(jq -r '[(.spec.template.spec.initContainers // [])[] | select(.image | test("(^|/)kubeplay/logship(:|$)"))][0].name // empty' <<<"$job")
if [ -z "$ship" ]; then
  fail "잡 report-native의 initContainers에 kubeplay/logship 사이드카가 없습니다. 사이드카를 containers에서 initContainers로 옮기세요." \
       "Job report-native has no kubeplay/logship sidecar in initContainers. Move the sidecar from containers to initContainers."
fi
rp=$(jq -r --arg s "$ship" '.spec.template.spec.initContainers[] | select(.name == $s) | .restartPolicy // ""' <<<"$job")
[ "$rp" = Always ] ||
  fail "초기화 컨테이너 $ship 에 restartPolicy: Always 가 없습니다. 이것이 없으면 보통의 초기화 컨테이너라서 끝나기를 기다리게 됩니다." \
       "Init container $ship lacks restartPolicy: Always. Without it, it is an ordinary init container that must end first."
if ! jq -e '.status.conditions[]? | select(.type == "Complete" and .status == "True")' <<<"$job" >/dev/null; then
  jq -e '.status.conditions[]? | select(.type == "Failed" and .status == "True")' <<<"$job" >/dev/null &&
    fail "잡 report-native가 실패했습니다. kubectl describe job report-native 로 확인하세요." \
         "Job report-native failed. Look with: kubectl describe job report-native"
  fail "잡 report-native가 아직 완료되지 않았습니다. 잠시 기다리세요." "Job report-native has not completed yet. Wait a moment."
fi
pod=$(k get pods -l job-name=report-native -o jsonpath='{.items[0].metadata.name}' 2>/dev/null)
[ -n "$pod" ] ||
  fail "잡 report-native의 파드를 찾지 못했습니다." "Could not find Job report-native's pod."
n=$(timeout 8 kubectl logs "$pod" -c "$ship" 2>/dev/null | grep -c 'report line [123]')
[ "${n:-0}" -ge 3 ] ||
  fail "사이드카($ship)의 로그에 report line 세 줄이 다 있지 않습니다 (지금 ${n:-0}줄)." \
       "The sidecar ($ship) has not shipped all three report lines (it shipped ${n:-0})."
exit 0
