#!/bin/bash
# Namespaces dev and prod each run an nginx pod called web.
for ns in dev prod; do
  k get namespace "$ns" >/dev/null 2>&1 || fail "$ns 네임스페이스가 없습니다. kubectl create namespace $ns 명령으로 만드세요." \
    "There is no namespace $ns. Create it with kubectl create namespace $ns."
done
for ns in dev prod; do
  k get pod web -n "$ns" >/dev/null 2>&1 || fail "$ns 네임스페이스에 파드 web이 없습니다. kubectl run web --image=nginx -n $ns 명령으로 만드세요." \
    "There is no pod web in namespace $ns. Create it with kubectl run web --image=nginx -n $ns."
  image=$(k get pod web -n "$ns" -o jsonpath='{.spec.containers[0].image}')
  [[ $image == nginx* || $image == docker.io/library/nginx* ]] || fail "$ns 네임스페이스의 파드 web이 nginx가 아닙니다(지금 이미지: $image)." \
    "Pod web in namespace $ns does not run nginx (it runs $image)."
  ready=$(k get pod web -n "$ns" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
  [ "$ready" = True ] || fail "$ns 네임스페이스의 파드 web이 아직 준비되지 않았습니다. 잠시 기다리세요." \
    "Pod web in namespace $ns is not ready yet. Wait a moment."
done
echo "dev/web and prod/web are running"
