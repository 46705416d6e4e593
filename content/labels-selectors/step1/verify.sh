#!/bin/bash
# Step 1: five labeled pods; db-prod has tier=backend, web-prod has version=v2.
# One API call: a line per pod, "name|phase| key=value key=value ...|".
pods=$(k get pods -o go-template='{{range .items}}{{.metadata.name}}|{{.status.phase}}|{{range $k, $v := .metadata.labels}} {{$k}}={{$v}}{{end}} |{{"\n"}}{{end}}')
line() { grep -m1 "^$1|" <<<"$pods"; }
label() { # value of label $2 on pod $1 ("" when missing)
  line "$1" | cut -d'|' -f3 | tr ' ' '\n' | grep -m1 "^$2=" | cut -d= -f2-
}
has() { line "$1" | cut -d'|' -f3 | tr ' ' '\n' | grep -q "^$2="; }
for spec in web-dev:web:dev web-qa:web:qa web-prod:web:prod db-prod:db:prod toolbox::; do
  IFS=: read -r pod app env <<<"$spec"
  [ -n "$(line "$pod")" ] ||
    fail "$pod 파드가 없습니다." "There is no pod named $pod."
  [ -z "$app" ] && continue
  [ "$(label "$pod" app)" = "$app" ] && [ "$(label "$pod" env)" = "$env" ] ||
    fail "파드 $pod에는 app=$app, env=$env 레이블이 있어야 합니다." "Pod $pod should have the labels app=$app and env=$env."
done
[ "$(label toolbox team)" = ops ] ||
  fail "파드 toolbox에는 team=ops 레이블이 있어야 합니다." "Pod toolbox should have the label team=ops."
! has toolbox app ||
  fail "파드 toolbox에는 아직 app 레이블이 없어야 합니다 (3단계에서 씁니다). kubectl label pod toolbox app- 로 지우세요." \
       "Pod toolbox should have no app label yet (step 3 needs that). Remove it with: kubectl label pod toolbox app-"
[ "$(label db-prod tier)" = backend ] ||
  fail "파드 db-prod에 tier=backend 레이블이 없습니다." "Pod db-prod has no label tier=backend."
v=$(label web-prod version)
[ "$v" = v2 ] ||
  fail "파드 web-prod의 version 레이블이 v2가 아닙니다 (지금: ${v:-없음}). 값을 바꿀 때는 --overwrite가 필요합니다." \
       "Pod web-prod's version label is not v2 (now: ${v:-none}). Changing a value needs --overwrite."
notready=""
for pod in web-dev web-qa web-prod db-prod toolbox; do
  [ "$(line "$pod" | cut -d'|' -f2)" = Running ] || notready="$notready $pod"
done
[ -z "$notready" ] ||
  fail "아직 Running이 아닌 파드가 있습니다:$notready" "Some pods are not Running yet:$notready"
exit 0
