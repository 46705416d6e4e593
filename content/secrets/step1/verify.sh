#!/bin/bash
# Step 1: Secret db-creds has username=admin and a non-empty password; Secret api-token holds the content of /root/api-token.txt.
db=$(k get secret db-creds -o json 2>/dev/null) ||
  fail "시크릿 db-creds가 없습니다." "There is no Secret named db-creds."
user=$(jq -r '.data.username // empty' <<<"$db" | base64 -d 2>/dev/null)
[ "$user" = admin ] ||
  fail "시크릿 db-creds의 키 username의 값이 admin이 아닙니다 (지금: ${user:-없음})." \
       "Secret db-creds's key username is not admin (it is ${user:-missing})."
pw=$(jq -r '.data.password // empty' <<<"$db")
[ -n "$pw" ] ||
  fail "시크릿 db-creds에 키 password가 없거나 비어 있습니다." "Secret db-creds has no key password, or it is empty."
[ -s /root/api-token.txt ] ||
  fail "/root/api-token.txt 파일이 없거나 비어 있습니다. echo -n 'tok-7f3a9c2e5b' > /root/api-token.txt 로 만드세요." \
       "The file /root/api-token.txt is missing or empty. Create it with: echo -n 'tok-7f3a9c2e5b' > /root/api-token.txt"
tok=$(k get secret api-token -o json 2>/dev/null) ||
  fail "시크릿 api-token이 없습니다. kubectl create secret generic api-token --from-file=api-token.txt 로 만드세요." \
       "There is no Secret named api-token. Create it with: kubectl create secret generic api-token --from-file=api-token.txt"
want=$(base64 -w0 </root/api-token.txt)
key=$(jq -r --arg w "$want" '.data // {} | to_entries[] | select(.value == $w) | .key' <<<"$tok" | head -n 1)
[ -n "$key" ] ||
  fail "시크릿 api-token에 /root/api-token.txt 의 내용과 같은 값이 없습니다. 파일을 고쳤다면 시크릿을 지우고 다시 만드세요." \
       "Secret api-token holds no value equal to the content of /root/api-token.txt. If you changed the file, delete the Secret and create it again."
echo "db-creds: username, password; api-token: key $key"
