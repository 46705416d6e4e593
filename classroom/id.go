package classroom

import (
	"crypto/rand"
	"encoding/hex"
)

func newID() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return "k" + hex.EncodeToString(b)
}
