#!/bin/bash
# Step 4: web-dev has example.com/owner=alice; app.kubernetes.io/part-of=shop is on exactly the pods with app in (web,db).
k get pod web-dev >/dev/null 2>&1 ||
  fail "파드 web-dev가 없습니다." "There is no pod named web-dev."
owner=$(k get pod web-dev -o jsonpath='{.metadata.labels.example\.com/owner}')
[ "$owner" = alice ] ||
  fail "파드 web-dev에 example.com/owner=alice 레이블이 없습니다 (지금: ${owner:-없음})." \
       "Pod web-dev has no label example.com/owner=alice (now: ${owner:-none})."
want=$(k get pods -l 'app in (web,db)' -o jsonpath='{.items[*].metadata.name}')
got=$(k get pods -l app.kubernetes.io/part-of=shop -o jsonpath='{.items[*].metadata.name}')
[ -n "$got" ] ||
  fail "app.kubernetes.io/part-of=shop 레이블이 붙은 파드가 없습니다." "No pod has the label app.kubernetes.io/part-of=shop."
[ "$want" = "$got" ] ||
  fail "app.kubernetes.io/part-of=shop은 app이 web이나 db인 파드($want)에만 있어야 합니다. 지금 붙은 파드: $got" \
       "app.kubernetes.io/part-of=shop should be on exactly the pods whose app is web or db ($want). It is on: $got"
exit 0
