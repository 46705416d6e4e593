#!/bin/bash
# Service web in prod fronts pod web; pod client in dev fetched the nginx page from http://web.prod and succeeded.
k get service web -n prod >/dev/null 2>&1 || fail "prod 네임스페이스에 서비스 web이 없습니다. kubectl expose pod web -n prod --port=80으로 만드세요." \
  "There is no Service web in namespace prod. Create it with kubectl expose pod web -n prod --port=80."
eps=$(k get endpointslices -n prod -l kubernetes.io/service-name=web -o jsonpath='{.items[*].endpoints[*].addresses[*]}')
[ -n "$eps" ] || fail "prod의 서비스 web이 아무 파드도 가리키지 않습니다. 셀렉터가 파드 web의 레이블과 맞는지 보세요(kubectl describe service web -n prod)." \
  "Service web in prod points at no pod. Check that its selector matches pod web's labels (kubectl describe service web -n prod)."
k get pod client -n dev >/dev/null 2>&1 || fail "dev 네임스페이스에 파드 client가 없습니다. dev에서 busybox로 http://web.prod에 요청을 보내세요." \
  "There is no pod client in namespace dev. From dev, send a request to http://web.prod with busybox."
phase=$(k get pod client -n dev -o jsonpath='{.status.phase}')
case $phase in
  Succeeded) ;;
  Failed) fail "dev의 파드 client가 실패로 끝났습니다. kubectl logs client -n dev로 이유를 보고, 파드를 지운 뒤 다시 실행하세요." \
    "Pod client in dev failed. See why with kubectl logs client -n dev, delete the pod and run it again." ;;
  *) fail "dev의 파드 client가 아직 끝나지 않았습니다(지금: $phase). 잠시 기다리세요." "Pod client in dev has not finished yet (it is $phase). Wait a moment." ;;
esac
cmd=$(k get pod client -n dev -o jsonpath='{.spec.containers[0].command} {.spec.containers[0].args}')
podip=$(k get pod web -n prod -o jsonpath='{.status.podIP}')
svcip=$(k get service web -n prod -o jsonpath='{.spec.clusterIP}')
if [[ $cmd != *web.prod* && ( -z $podip || $cmd != *"$podip"* ) && ( -z $svcip || $cmd != *"$svcip"* ) ]]; then
  fail "파드 client가 prod의 web으로 요청하지 않았습니다. 주소를 http://web.prod로 주세요(지금 명령: $cmd). 파드를 지우고 다시 실행하세요." \
    "Pod client did not send its request to prod's web. Use the address http://web.prod (its command now: $cmd). Delete the pod and run it again."
fi
k logs client -n dev 2>/dev/null | grep -qi 'welcome to nginx' || fail "파드 client의 로그에 nginx 페이지가 없습니다. http://web.prod로 요청했는지 보세요(kubectl get pod client -n dev -o yaml)." \
  "Pod client's log does not hold the nginx page. Check that it requested http://web.prod (kubectl get pod client -n dev -o yaml)."
echo "dev/client reached prod/web through web.prod"
