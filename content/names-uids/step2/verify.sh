#!/bin/bash
# Step 2: pod, Service and ConfigMap "web" in default, and pod "web" in team-a: four distinct objects (UIDs).
uids=""
for obj in pod service configmap; do
  uid=$(k get "$obj" web -o jsonpath='{.metadata.uid}' 2>/dev/null)
  if [ -z "$uid" ]; then
    case $obj in
      pod) fail "default 네임스페이스에 파드 web이 없습니다. kubectl run web --image=nginx 로 만드세요." \
                "There is no pod web in the default namespace. Create it with: kubectl run web --image=nginx" ;;
      service) fail "default 네임스페이스에 서비스 web이 없습니다. kubectl expose pod web --port=80 으로 만드세요." \
                    "There is no Service web in the default namespace. Create it with: kubectl expose pod web --port=80" ;;
      configmap) fail "default 네임스페이스에 컨피그맵 web이 없습니다. kubectl create configmap web --from-literal=color=blue 로 만드세요." \
                      "There is no ConfigMap web in the default namespace. Create it with: kubectl create configmap web --from-literal=color=blue" ;;
    esac
  fi
  uids="$uids $uid"
done
k get namespace team-a >/dev/null 2>&1 ||
  fail "team-a 네임스페이스가 없습니다. kubectl create namespace team-a 로 만드세요." \
       "There is no namespace team-a. Create it with: kubectl create namespace team-a"
uid=$(k get pod web -n team-a -o jsonpath='{.metadata.uid}' 2>/dev/null)
[ -n "$uid" ] ||
  fail "team-a 네임스페이스에 파드 web이 없습니다. kubectl run web --image=nginx -n team-a 로 만드세요." \
       "There is no pod web in namespace team-a. Create it with: kubectl run web --image=nginx -n team-a"
uids="$uids $uid"
[ "$(tr ' ' '\n' <<<"$uids" | grep -c .)" = "$(tr ' ' '\n' <<<"$uids" | grep . | sort -u | wc -l)" ] ||
  fail "이름이 web인 오브젝트 넷의 UID가 모두 달라야 하는데 겹칩니다." "The four objects named web should have four different UIDs, but some repeat."
for ns in default team-a; do
  ready=$(k get pod web -n "$ns" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
  [ "$ready" = True ] ||
    fail "$ns 네임스페이스의 파드 web이 아직 준비되지 않았습니다. 잠시 기다리세요." "Pod web in namespace $ns is not ready yet. Wait a moment."
done
echo "four objects named web:$uids"
