#!/bin/bash
# Step 2: exactly the pods with env=prod carry critical=true.
names=" $(k get pods -o jsonpath='{.items[*].metadata.name}') "
for p in web-dev web-qa web-prod db-prod toolbox; do
  [[ $names == *" $p "* ]] ||
    fail "$p 파드가 없습니다. 1단계의 파드 다섯 개가 모두 있어야 합니다." "There is no pod named $p. All five pods from step 1 are needed."
done
prod=$(k get pods -l env=prod -o jsonpath='{.items[*].metadata.name}')
crit=$(k get pods -l critical=true -o jsonpath='{.items[*].metadata.name}')
[ -n "$crit" ] ||
  fail "critical=true 레이블이 붙은 파드가 없습니다." "No pod has the label critical=true."
[ "$prod" = "$crit" ] ||
  fail "critical=true는 env=prod인 파드($prod)에만 있어야 합니다. 지금 붙은 파드: $crit" \
       "critical=true should be on exactly the pods with env=prod ($prod). It is on: $crit"
exit 0
