package content

import (
	"strings"
	"testing"
)

func TestAReplyKeepsItsInlineImagesButNoRemoteOne(t *testing.T) {
	got := SafeMailHTML(`<p>Voici<img src="cid:img1.x@rapport" alt="capture"><img src="https://tracker.example/x.png">` +
		`<img src="javascript:alert(1)"></p><script>alert(1)</script>`)
	if !strings.Contains(got, `<img src="cid:img1.x@rapport" alt="capture">`) {
		t.Errorf("the inline image is dropped: %s", got)
	}
	for _, bad := range []string{"tracker.example", "javascript:", "<script"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q is kept: %s", bad, got)
		}
	}
	if got := SafeHTML(`<p>a<img src="cid:img1.x@rapport"></p>`); strings.Contains(got, "<img") {
		t.Errorf("received mail shows an image: %s", got)
	}
}
