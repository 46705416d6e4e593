#!/bin/bash
# Step 3: pod app = an app container (redis image) + a kubeplay/tcpproxy ambassador in --redis mode, writes to redis-master:6379, reads to redis-replica:6379; ready.
pod=$(k get pod app -o json 2>/dev/null) ||
  fail "파드 app이 없습니다. 단계의 매니페스트로 만드세요." "There is no pod named app. Create it with the step's manifest."
amb=$(jq -r '[(.spec.initContainers // [])[], .spec.containers[] | select(.image | test("(^|/)kubeplay/tcpproxy(:|$)"))][0].name // empty' <<<"$pod")
[ -n "$amb" ] ||
  fail "파드 app에 kubeplay/tcpproxy 앰버서더 컨테이너가 없습니다." "Pod app has no kubeplay/tcpproxy ambassador container."
jq -e '.spec.containers[] | select(.image | test("(^|/)redis(:|$)"))' <<<"$pod" >/dev/null ||
  fail "파드 app에 redis 이미지를 쓰는 애플리케이션 컨테이너가 없습니다." "Pod app has no application container from the redis image."
args=" $(jq -r --arg c "$amb" '[(.spec.initContainers // [])[], .spec.containers[] | select(.name == $c)][0] | ((.command // []) + (.args // [])) | join(" ")' <<<"$pod") "
args=${args//=/ }
[[ $args == *" --redis "* || $args == *" -redis "* ]] ||
  fail "앰버서더($amb)에 --redis 인자가 없습니다. 이것이 있어야 명령을 읽고 쓰기와 읽기를 나눕니다." \
       "The ambassador ($amb) lacks --redis; without it, it does not split writes from reads."
[[ $args =~ [[:space:]]--?write[[:space:]]+redis-master(\.default(\.svc(\.cluster\.local)?)?)?:6379[[:space:]] ]] ||
  fail "앰버서더의 쓰기 대상이 redis-master:6379가 아닙니다 (지금 인자:$args)." "The ambassador's write target is not redis-master:6379 (its arguments:$args)."
[[ $args =~ [[:space:]]--?read[[:space:]]+redis-replica(\.default(\.svc(\.cluster\.local)?)?)?:6379[[:space:],] ]] ||
  fail "앰버서더의 읽기 대상이 redis-replica:6379가 아닙니다 (지금 인자:$args)." "The ambassador's read target is not redis-replica:6379 (its arguments:$args)."
[ "$(jq -r '.status.conditions[]? | select(.type == "Ready") | .status' <<<"$pod")" = True ] ||
  fail "파드 app이 아직 준비되지 않았습니다. kubectl describe pod app 과 kubectl logs app -c $amb 로 확인하세요." \
       "Pod app is not ready yet. Look with kubectl describe pod app and kubectl logs app -c $amb"
timeout 8 kubectl logs app -c "$amb" 2>/dev/null | grep -q 'tcpproxy: .*writes to' ||
  fail "앰버서더($amb)가 아직 시작 로그를 남기지 않았습니다." "The ambassador ($amb) has not logged its start yet."
exit 0
