#!/bin/bash
# Pod web carries example.com/contact (a JSON object with slack and oncall) and a multi-line example.com/notes.
k get pod web -n default >/dev/null 2>&1 || fail "default 네임스페이스에 파드 web이 없습니다." "There is no pod web in the default namespace."
json=$(k get pod web -n default -o json) || fail "파드 web을 읽지 못했습니다." "Could not read pod web."
contact=$(jq -r '.metadata.annotations["example.com/contact"] // empty' <<<"$json")
[ -n "$contact" ] || fail "파드 web에 어노테이션 example.com/contact가 없습니다." "Pod web has no annotation example.com/contact."
jq -e 'type == "object"' <<<"$contact" >/dev/null 2>&1 || fail "example.com/contact의 값이 JSON 객체가 아닙니다(지금 값: $contact). 값 전체를 작은따옴표로 감쌌는지 보세요." \
  "The value of example.com/contact is not a JSON object (it is: $contact). Did you wrap the whole value in single quotes?"
jq -e 'has("slack") and has("oncall")' <<<"$contact" >/dev/null || fail "example.com/contact의 JSON에 slack과 oncall 키가 모두 있어야 합니다(지금 값: $contact)." \
  "The JSON in example.com/contact needs both keys slack and oncall (it is: $contact)."
lines=$(jq -r '.metadata.annotations["example.com/notes"] // empty' <<<"$json" | sed '/^[[:space:]]*$/d' | wc -l)
[ "$lines" -ge 1 ] || fail "파드 web에 어노테이션 example.com/notes가 없습니다." "Pod web has no annotation example.com/notes."
[ "$lines" -ge 2 ] || fail "example.com/notes가 한 줄뿐입니다. \$'첫 줄\\n둘째 줄' 모양으로 두 줄 이상 적으세요." \
  "example.com/notes has a single line. Write two lines or more, as \$'first line\\nsecond line'."
echo "contact: $contact; notes: $lines lines"
