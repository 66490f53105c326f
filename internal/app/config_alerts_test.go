package app_test

import (
	"testing"

	"github.com/rapport-crm/rapport/internal/app"
)

func TestLinksInEmailsStartWithTheBaseURLElseTheListeningAddress(t *testing.T) {
	for _, c := range []struct {
		cfg          app.Config
		link, sender string
	}{
		{app.Config{BaseURL: "https://crm.banque.fr/", Addr: ":8080"}, "https://crm.banque.fr", "Rapport <rapport@crm.banque.fr>"},
		{app.Config{BaseURL: "https://crm.banque.fr", MailFrom: "Alertes <alertes@banque.fr>"}, "https://crm.banque.fr", "Alertes <alertes@banque.fr>"},
		{app.Config{Addr: "127.0.0.1:9000"}, "http://127.0.0.1:9000", "Rapport <rapport@localhost>"},
		{app.Config{Addr: ":8080"}, "http://localhost:8080", "Rapport <rapport@localhost>"},
		{app.Config{}, "http://127.0.0.1:8080", "Rapport <rapport@localhost>"},
	} {
		if got := c.cfg.LinkBase(); got != c.link {
			t.Errorf("%+v: link base %q, want %q", c.cfg, got, c.link)
		}
		if got := c.cfg.Sender(); got != c.sender {
			t.Errorf("%+v: sender %q, want %q", c.cfg, got, c.sender)
		}
	}
	env := map[string]string{"RAPPORT_BASE_URL": "https://x.test", "RAPPORT_MAIL_FROM": "a@x.test"}
	if cfg := app.LoadConfig(func(k string) string { return env[k] }); cfg.BaseURL != "https://x.test" || cfg.MailFrom != "a@x.test" {
		t.Errorf("LoadConfig: %+v", cfg)
	}
}
