// Package progresstest is the contract every labs.ProgressStore keeps.
package progresstest

import (
	"context"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/labs"
)

// Run checks a store made fresh by open.
func Run(t *testing.T, open func(t *testing.T) labs.ProgressStore) {
	ctx := context.Background()
	p := open(t)
	at := time.UnixMilli(time.Now().UnixMilli())
	if err := p.SaveCheck(ctx, "s1", labs.StepStatus{Step: 1, State: labs.Failed, Message: "파드가 없습니다.", Lang: "ko", At: at}); err != nil {
		t.Fatal(err)
	}
	got, err := p.Progress(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if s := got[1]; s.State != labs.Failed || s.Done || s.Message != "파드가 없습니다." || s.Lang != "ko" || !s.At.Equal(at) {
		t.Errorf("after a failed check: %+v", s)
	}
	_ = p.SaveCheck(ctx, "s1", labs.StepStatus{Step: 1, State: labs.Passed, Lang: "en", At: at.Add(time.Second)})
	_ = p.SaveCheck(ctx, "s1", labs.StepStatus{Step: 1, State: labs.Failed, Message: "gone", Lang: "en", At: at.Add(2 * time.Second)})
	got, _ = p.Progress(ctx, "s1")
	if s := got[1]; s.State != labs.Failed || !s.Done || s.Message != "gone" {
		t.Errorf("a step once passed stays done, with the last check shown: %+v", s)
	}
	if other, _ := p.Progress(ctx, "s2"); len(other) != 0 {
		t.Errorf("another session sees %v", other)
	}
	for i, want := range []bool{true, false} {
		first, err := p.Enter(ctx, "s1", 0)
		if err != nil || first != want {
			t.Errorf("enter #%d: first=%v err=%v", i+1, first, err)
		}
	}
	if first, _ := p.Enter(ctx, "s2", 0); !first {
		t.Error("entering is per session")
	}
	if err := p.Forget(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.Progress(ctx, "s1"); len(got) != 0 {
		t.Errorf("forgotten: %v", got)
	}
	if first, _ := p.Enter(ctx, "s1", 0); !first {
		t.Error("a forgotten session enters afresh")
	}
}
