package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Identity gives each browser a client id in a signed, HttpOnly cookie. Sessions belong to the
// client id, so nobody can open or watch another browser's session by guessing its id.
type Identity struct {
	key    []byte
	secure bool
}

const clientCookie = "kubeplay_client"

// LoadIdentity reads the signing key from dir/cookie.key, making one the first time.
func LoadIdentity(dir string, secureCookies bool) (*Identity, error) {
	if dir == "" {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		return &Identity{key: key, secure: secureCookies}, nil
	}
	p := filepath.Join(dir, "cookie.key")
	if b, err := os.ReadFile(p); err == nil && len(b) >= 32 {
		return &Identity{key: b, secure: secureCookies}, nil
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, key, 0o600); err != nil {
		return nil, err
	}
	return &Identity{key: key, secure: secureCookies}, os.Rename(tmp, p)
}

func (id *Identity) sign(client string) string {
	m := hmac.New(sha256.New, id.key)
	m.Write([]byte(client))
	return client + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

var errNoClient = errors.New("no client cookie")

// Client returns the request's verified client id.
func (id *Identity) Client(r *http.Request) (string, error) {
	c, err := r.Cookie(clientCookie)
	if err != nil {
		return "", errNoClient
	}
	client, _, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(id.sign(client)), []byte(c.Value)) {
		return "", errNoClient
	}
	return client, nil
}

// Ensure returns the request's client id, issuing a new cookie when it has none (or a forged one).
func (id *Identity) Ensure(w http.ResponseWriter, r *http.Request) string {
	if client, err := id.Client(r); err == nil {
		return client
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	client := hex.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{
		Name: clientCookie, Value: id.sign(client), Path: "/", HttpOnly: true, Secure: id.secure,
		SameSite: http.SameSiteLaxMode, Expires: time.Now().Add(365 * 24 * time.Hour),
	})
	return client
}
