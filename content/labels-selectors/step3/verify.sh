#!/bin/bash
# Step 3: stage=test on exactly the pods with env in (dev,qa); no pod is left without an app label.
names=" $(k get pods -o jsonpath='{.items[*].metadata.name}') "
for p in web-dev web-qa web-prod db-prod toolbox; do
  [[ $names == *" $p "* ]] ||
    fail "$p 파드가 없습니다. 1단계의 파드 다섯 개가 모두 있어야 합니다." "There is no pod named $p. All five pods from step 1 are needed."
done
want=$(k get pods -l 'env in (dev,qa)' -o jsonpath='{.items[*].metadata.name}')
got=$(k get pods -l stage=test -o jsonpath='{.items[*].metadata.name}')
[ -n "$got" ] ||
  fail "stage=test 레이블이 붙은 파드가 없습니다." "No pod has the label stage=test."
[ "$want" = "$got" ] ||
  fail "stage=test는 env가 dev나 qa인 파드($want)에만 있어야 합니다. 지금 붙은 파드: $got" \
       "stage=test should be on exactly the pods whose env is dev or qa ($want). It is on: $got"
left=$(k get pods -l '!app' -o jsonpath='{.items[*].metadata.name}')
[ -z "$left" ] ||
  fail "app 레이블이 없는 파드가 아직 있습니다: $left" "Some pods still have no app label: $left"
app=$(k get pod toolbox -o jsonpath='{.metadata.labels.app}')
[ "$app" = tools ] ||
  fail "파드 toolbox의 app 레이블이 tools가 아닙니다 (지금: $app)." "Pod toolbox's app label is not tools (it is $app)."
exit 0
