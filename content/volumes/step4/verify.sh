#!/bin/bash
# Step 4: pod redis was recreated on PVC data: a fresh pod (no container restart) that loaded key greeting from disk at start.
pvc=$(k get pvc data -o json 2>/dev/null) ||
  fail "PVC data가 없습니다." "There is no PVC named data."
sc=$(jq -r '.spec.storageClassName // empty' <<<"$pvc")
[ "$sc" = standard ] ||
  fail "PVC data의 스토리지클래스가 standard가 아닙니다 (지금: ${sc:-없음})." "PVC data's StorageClass is not standard (it is ${sc:-none})."
phase=$(jq -r '.status.phase' <<<"$pvc")
[ "$phase" = Bound ] ||
  fail "PVC data가 아직 Bound가 아닙니다 (지금: $phase). 그것을 쓰는 파드 redis가 있어야 묶입니다." \
       "PVC data is not Bound yet (it is $phase). It binds once pod redis uses it."
pod=$(k get pod redis -o json 2>/dev/null) ||
  fail "파드 redis가 없습니다." "There is no pod named redis."
vol=$(jq -r '[.spec.volumes[]? | select(.persistentVolumeClaim.claimName == "data")][0].name // empty' <<<"$pod")
[ -n "$vol" ] ||
  fail "파드 redis의 볼륨 가운데 PVC data를 쓰는 것이 없습니다 (persistentVolumeClaim: claimName: data)." \
       "None of pod redis's volumes uses PVC data (persistentVolumeClaim: claimName: data)."
c=$(jq -r '[.spec.containers[] | select(.image | test("(^|/)redis(:|$)"))][0].name // empty' <<<"$pod")
[ -n "$c" ] ||
  fail "파드 redis에 redis 이미지를 쓰는 컨테이너가 없습니다." "Pod redis has no container running the redis image."
path=$(jq -r --arg c "$c" --arg v "$vol" '.spec.containers[] | select(.name == $c) | .volumeMounts[]? | select(.name == $v) | .mountPath' <<<"$pod")
[ "${path%/}" = /data ] ||
  fail "redis 컨테이너가 PVC 볼륨($vol)을 /data 에 마운트해야 합니다 (지금: ${path:-마운트 안 함}). redis는 /data에 저장합니다." \
       "The redis container must mount the PVC volume ($vol) at /data (now: ${path:-not mounted}); redis saves into /data."
ready=$(jq -r '[.status.conditions[]? | select(.type == "Ready")][0].status // empty' <<<"$pod")
[ "$ready" = True ] ||
  fail "파드 redis가 아직 준비되지 않았습니다. 잠시 기다리세요." "Pod redis is not ready yet. Wait a moment."
restarts=$(jq -r --arg c "$c" '.status.containerStatuses[]? | select(.name == $c) | .restartCount' <<<"$pod")
[ "${restarts:-0}" = 0 ] ||
  fail "redis 컨테이너만 다시 시작되었습니다. 컨테이너가 아니라 파드를 지우고(kubectl delete pod redis) redis.yaml로 다시 만드세요." \
       "Only the redis container restarted. Delete the pod itself (kubectl delete pod redis) and create it again from redis.yaml."
loaded=$(timeout 5 kubectl exec redis -c "$c" -- redis-cli INFO persistence 2>/dev/null | tr -d '\r' | sed -n 's/^rdb_last_load_keys_loaded://p')
[ "${loaded:-0}" -ge 1 ] ||
  fail "이 redis 파드는 시작할 때 디스크에서 아무 키도 읽지 않았습니다. 아직 3단계의 그 파드입니다. 파드를 지우고 redis.yaml로 다시 만드세요." \
       "This redis pod loaded no key from disk when it started: it is still the pod from step 3. Delete it and create it again from redis.yaml."
value=$(timeout 5 kubectl exec redis -c "$c" -- redis-cli GET greeting 2>&1)
[ -n "$value" ] ||
  fail "새 redis 파드에 키 greeting이 없습니다. 3단계에서 SAVE 한 뒤에 파드를 지웠나요?" \
       "The new redis pod has no key greeting. Did you SAVE in step 3 before deleting the pod?"
echo "new redis pod loaded $loaded key(s) from PVC data: greeting=$value"
