package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

func TestImportPartiesSaysWhatItsEndDoes(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RAPPORT_DATABASE_URL", "sqlite:"+filepath.Join(dir, "t.db"))
	t.Setenv("RAPPORT_LOG_LEVEL", "error")
	err := withApp(context.Background(), func(a *app.App) error {
		ctx := context.Background()
		if _, err := a.Orgs.CreateUnit(ctx, core.System(), org.UnitInput{Code: "BANK", Name: "Banque", Kind: org.KindEstablishment}); err != nil {
			return err
		}
		_, err := a.Orgs.CreateUnit(ctx, core.System(), org.UnitInput{Code: "A-LYON", Name: "Agence Lyon", Kind: org.KindAgency, ParentCode: "BANK"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var file strings.Builder
	file.WriteString("client_number,last_name,first_name,agency_code\n")
	for i := range 3000 {
		fmt.Fprintf(&file, "%d,Martin,Claire,A-LYON\n", 4000000000+i)
	}
	path := filepath.Join(dir, "parties.csv")
	if err := os.WriteFile(path, []byte(file.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	root := newRoot()
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs([]string{"import", "parties", path})
	if err := root.Execute(); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	// Into an empty table the import defers its indexes from the start, so
	// its end builds them: the operator is told so before the summary.
	text := out.String()
	phase := strings.Index(text, "building the deferred indexes")
	summary := strings.Index(text, "3000 read, 3000 inserted")
	if phase < 0 || summary < phase {
		t.Fatalf("output does not say what the end does before the summary:\n%s", text)
	}
}
