package ui

import "testing"

func TestSignInGoesBackOnlyToAPathOnThisSite(t *testing.T) {
	for next, want := range map[string]string{
		"/parties?q=dupr%C3%A9":      "/parties?q=dupr%C3%A9",
		"/parties/019?tab=history#x": "/parties/019?tab=history",
		"/":                          "/",
		"":                           "/",
		"/\t/evil.example/":          "/",
		"/%09/evil.example/":         "/",
		"%2F%09%2Fevil.example%2F":   "/",
		"//evil.example":             "/",
		"/%2Fevil.example":           "/",
		"/\\evil.example":            "/",
		"/%5Cevil.example":           "/",
		"https://evil.example/":      "/",
		"javascript:alert(1)":        "/",
		"http:/evil.example":         "/",
		"evil.example":               "/",
		"/\r\nSet-Cookie: x=1":       "/",
		"/%0d%0aSet-Cookie:%20x=1":   "/",
		"/ok/%00":                    "/",
		"///evil.example":            "/",
		"/x?next=//evil.example":     "/x?next=//evil.example",
		"/@evil.example":             "/@evil.example",
		"\x00/":                      "/",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}
