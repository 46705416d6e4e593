#!/bin/bash
[ -f /tmp/x ] || fail "파일이 없습니다." "There is no file."
