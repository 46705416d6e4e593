#!/bin/bash
# Step 3: PVC data (StorageClass standard) is Bound; pod redis mounts it at /data, and key greeting is saved to /data/dump.rdb.
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
value=$(timeout 5 kubectl exec redis -c "$c" -- redis-cli GET greeting 2>&1)
[ -n "$value" ] ||
  fail "redis에 키 greeting이 없습니다. kubectl exec redis -- redis-cli SET greeting \"hello from the first pod\" 를 실행하세요." \
       "redis has no key greeting. Run: kubectl exec redis -- redis-cli SET greeting \"hello from the first pod\""
timeout 5 kubectl exec redis -c "$c" -- test -s /data/dump.rdb ||
  fail "/data/dump.rdb 가 없습니다. kubectl exec redis -- redis-cli SAVE 로 디스크에 저장하세요." \
       "There is no /data/dump.rdb. Save to disk with: kubectl exec redis -- redis-cli SAVE"
changes=$(timeout 5 kubectl exec redis -c "$c" -- redis-cli INFO persistence 2>/dev/null | tr -d '\r' | sed -n 's/^rdb_changes_since_last_save://p')
[ "${changes:-0}" = 0 ] ||
  fail "마지막 저장 뒤에 바뀐 것이 있습니다. kubectl exec redis -- redis-cli SAVE 를 한 번 더 실행하세요." \
       "Something changed after the last save. Run kubectl exec redis -- redis-cli SAVE once more."
echo "PVC data bound; redis saved greeting=$value to /data/dump.rdb"
