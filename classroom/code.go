package classroom

import (
	"crypto/rand"
	"math/big"
	"strings"
)

// codeAlphabet has no letters or digits that look alike on a projector or a phone: no 0/O, 1/I/L.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// CodeLength is how many characters a join code has.
const CodeLength = 6

// NewCode returns a random join code.
func NewCode() string {
	var b strings.Builder
	max := big.NewInt(int64(len(codeAlphabet)))
	for i := 0; i < CodeLength; i++ {
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err) // crypto/rand does not fail on Linux
		}
		b.WriteByte(codeAlphabet[n.Int64()])
	}
	return b.String()
}

// NormalizeCode reads a code as a student types it: any case, spaces and dashes ignored. It returns
// "" when the result cannot be a code (a wrong length, or a character codes never have, such as 0 or O).
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			continue
		case strings.ContainsRune(codeAlphabet, r):
			b.WriteRune(r)
		default:
			return ""
		}
	}
	if b.Len() != CodeLength {
		return ""
	}
	return b.String()
}
