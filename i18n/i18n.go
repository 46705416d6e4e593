// Package i18n holds every message a user can see, in Korean and English, and picks the language of
// a request. Messages are keyed; a key missing in one language falls back to English, and a key
// missing in both shows the key itself (a test keeps both catalogs complete).
package i18n

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Lang is a supported language.
type Lang string

const (
	Ko Lang = "ko"
	En Lang = "en"
)

// Langs are the supported languages, the default first.
var Langs = []Lang{Ko, En}

// Parse returns the language named by s, if supported.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	for _, l := range Langs {
		if string(l) == s {
			return l, true
		}
	}
	return "", false
}

// FromRequest chooses a language: ?lang=, then the "lang" cookie, then Accept-Language, then Korean.
func FromRequest(r *http.Request) Lang {
	if l, ok := Parse(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil {
		if l, ok := Parse(c.Value); ok {
			return l
		}
	}
	return FromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// FromAcceptLanguage picks the supported language the header prefers most (Korean when none).
func FromAcceptLanguage(h string) Lang {
	type pref struct {
		lang Lang
		q    float64
		i    int
	}
	var prefs []pref
	for i, part := range strings.Split(h, ",") {
		fields := strings.Split(strings.TrimSpace(part), ";")
		l, ok := Parse(fields[0])
		if !ok {
			continue
		}
		q := 1.0
		for _, f := range fields[1:] {
			if v, found := strings.CutPrefix(strings.TrimSpace(f), "q="); found {
				if x, err := strconv.ParseFloat(v, 64); err == nil {
					q = x
				}
			}
		}
		if q > 0 {
			prefs = append(prefs, pref{l, q, i})
		}
	}
	sort.SliceStable(prefs, func(a, b int) bool { return prefs[a].q > prefs[b].q })
	if len(prefs) > 0 {
		return prefs[0].lang
	}
	return Ko
}

// T returns the message key in lang, formatted with args.
func T(lang Lang, key string, args ...any) string {
	msg, ok := catalog[lang][key]
	if !ok {
		if msg, ok = catalog[En][key]; !ok {
			return key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Keys lists the keys of a language's catalog.
func Keys(lang Lang) []string {
	var ks []string
	for k := range catalog[lang] {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
