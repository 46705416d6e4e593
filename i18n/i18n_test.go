package i18n

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCatalogsAreComplete(t *testing.T) {
	ko, en := Keys(Ko), Keys(En)
	if strings.Join(ko, ",") != strings.Join(en, ",") {
		t.Fatalf("catalogs differ:\nko: %v\nen: %v", ko, en)
	}
	for _, k := range ko {
		if strings.Count(catalog[Ko][k], "%") != strings.Count(catalog[En][k], "%") {
			t.Errorf("%s: different placeholders", k)
		}
	}
}

func TestAcceptLanguage(t *testing.T) {
	cases := map[string]Lang{
		"":                           Ko,
		"en-US,en;q=0.9":             En,
		"ko-KR,ko;q=0.9,en-US;q=0.8": Ko,
		"fr-FR,en;q=0.5,ko;q=0.7":    Ko,
		"de,en;q=0.3":                En,
		"ja":                         Ko,
		"en;q=0, ko;q=0.1":           Ko,
	}
	for h, want := range cases {
		if got := FromAcceptLanguage(h); got != want {
			t.Errorf("%q: %s, want %s", h, got, want)
		}
	}
}

func TestRequestOrder(t *testing.T) {
	r := httptest.NewRequest("GET", "/?lang=en", nil)
	r.Header.Set("Accept-Language", "ko")
	if FromRequest(r) != En {
		t.Error("?lang= does not win")
	}
	r = httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", "lang=en")
	r.Header.Set("Accept-Language", "ko")
	if FromRequest(r) != En {
		t.Error("the remembered language does not win over Accept-Language")
	}
}

func TestTFormatsAndFallsBack(t *testing.T) {
	if got := T(Ko, "error.capacity.server", "10:30"); !strings.Contains(got, "10:30") || !strings.Contains(got, "빈자리") {
		t.Errorf("ko: %q", got)
	}
	if got := T(En, "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
}
