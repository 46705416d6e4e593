#!/bin/bash
# Step 2: /root/password.txt holds the decoded password of Secret db-creds.
enc=$(k get secret db-creds -o jsonpath='{.data.password}' 2>/dev/null)
[ -n "$enc" ] ||
  fail "시크릿 db-creds(키 password)가 없습니다. 1단계의 시크릿이 있어야 합니다." "Secret db-creds (key password) is missing; the Secret from step 1 is needed."
[ -s /root/password.txt ] ||
  fail "/root/password.txt 파일이 없거나 비어 있습니다." "The file /root/password.txt is missing or empty."
want=$(base64 -d <<<"$enc")
got=$(cat /root/password.txt)
[ "$got" = "$want" ] && { echo "password.txt holds the decoded password"; exit 0; }
[ "$got" = "$enc" ] &&
  fail "/root/password.txt 에 아직 base64로 인코딩된 값이 들어 있습니다. base64 -d 로 풀어서 저장하세요." \
       "/root/password.txt still holds the base64-encoded value. Decode it with base64 -d before saving."
fail "/root/password.txt 의 내용이 시크릿 db-creds의 password와 다릅니다." "/root/password.txt does not hold Secret db-creds's password."
