package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
)

func TestTokenCreateWithExpiresGivesATokenThatExpires(t *testing.T) {
	t.Setenv("RAPPORT_DATABASE_URL", "sqlite:"+filepath.Join(t.TempDir(), "t.db"))
	t.Setenv("RAPPORT_LOG_LEVEL", "error")
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		root := newRoot()
		root.SetOut(&out)
		root.SetErr(&out)
		root.SetArgs(args)
		err := root.Execute()
		return out.String(), err
	}
	if out, err := run("user", "create", "--login", "crm", "--name", "CRM", "--roles", "admin"); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	out, err := run("token", "create", "--name", "telephony", "--agent", "crm", "--expires", "90d")
	if err != nil || !strings.HasPrefix(out, "rpt_") {
		t.Fatalf("token create: %v %q", err, out)
	}
	if _, err := run("token", "create", "--name", "x", "--agent", "crm", "--expires", "soon"); err == nil {
		t.Error("an unreadable --expires was accepted")
	}
	err = withApp(context.Background(), func(a *app.App) error {
		list, err := a.Auth.ListTokens(context.Background(), core.System())
		if err != nil {
			return err
		}
		// The lifetime is read a moment before the token is written.
		if len(list) != 1 || list[0].ExpiresAt == nil ||
			list[0].ExpiresAt.Sub(list[0].CreatedAt.AddDate(0, 0, 90)).Abs() > time.Minute {
			t.Errorf("tokens = %+v, want one expiring 90 days after its creation", list)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
