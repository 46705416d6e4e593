package sessions_test

import (
	"testing"

	"github.com/kubeplay/kubeplay/sessions"
	"github.com/kubeplay/kubeplay/sessions/storetest"
)

func TestMemStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) sessions.Store { return sessions.NewMemStore() })
}
