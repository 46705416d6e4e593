#!/bin/bash
# Step 1: pod my-pod (nginx) is ready, and the ConfigMap app.settings (a name with a dot) exists.
k get pod my-pod >/dev/null 2>&1 ||
  fail "파드 my-pod가 없습니다. kubectl run my-pod --image=nginx 로 만드세요." \
       "There is no pod named my-pod. Create it with: kubectl run my-pod --image=nginx"
image=$(k get pod my-pod -o jsonpath='{.spec.containers[0].image}')
case $image in
  nginx | nginx:* | */nginx | */nginx:*) ;;
  *) fail "파드 my-pod의 이미지가 nginx가 아닙니다 (지금: $image)." "Pod my-pod does not run the nginx image (it runs $image)." ;;
esac
ready=$(k get pod my-pod -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
[ "$ready" = True ] ||
  fail "파드 my-pod가 아직 준비되지 않았습니다. 잠시 기다리세요." "Pod my-pod is not ready yet. Wait a moment."
k get configmap app.settings >/dev/null 2>&1 ||
  fail "컨피그맵 app.settings가 없습니다. kubectl create configmap app.settings --from-literal=color=blue 로 만드세요." \
       "There is no ConfigMap named app.settings. Create it with: kubectl create configmap app.settings --from-literal=color=blue"
echo "pod my-pod is ready; configmap app.settings exists"
