package lines

import (
	"strings"
	"testing"
)

func TestWriterSplitsAcrossWrites(t *testing.T) {
	var got []string
	w := &Writer{Fn: func(l string) { got = append(got, l) }}
	for _, p := range []string{"one\r\ntw", "o\n", "", "thr", "ee"} {
		_, _ = w.Write([]byte(p))
	}
	w.Flush()
	if strings.Join(got, "|") != "one|two|three" {
		t.Errorf("lines: %q", got)
	}
}
