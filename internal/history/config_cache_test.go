package history

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// A store stands for an instance: each keeps its own copy of the
// configuration. Saves through one are applied by the other within about
// a second (the other instance's check of cache_versions).
func TestSettingsAndSourcesSavedByAnotherInstanceAreApplied(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newEstablishmentFixture(t, d)
		ctx := context.Background()
		other := NewStore(d, f.clock, audit.New(d, f.clock), nil, DefaultRules(), newFiles(t, f.filesDir, f.clock))
		ingest := func(item Item) Result {
			t.Helper()
			res, err := f.store.Ingest(ctx, f.branch, []Item{item})
			if err != nil {
				t.Fatal(err)
			}
			return res[0]
		}
		// This instance reads BR's settings and the sources, and keeps them.
		if r := ingest(call("warm-1", "outbound", 50)); r.Status != Stored {
			t.Fatalf("a 50 s call under the default 40 s: %s", r.Status)
		}
		visio := call("visio-warm", "outbound", 70)
		visio.Source = "visio"
		if r := ingest(visio); r.Status != Rejected {
			t.Fatalf("a source nobody added: %s", r.Status)
		}
		st := other.DefaultSettings()
		st.Rules.MinOutboundCall = time.Minute
		if _, err := other.SaveSettings(ctx, f.admin, "BR", st); err != nil {
			t.Fatal(err)
		}
		if _, err := other.AddSource(ctx, f.admin, SourceInput{Code: "visio", Name: "Visio"}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		var short, fromVisio Result
		for i := 0; time.Now().Before(deadline); i++ {
			short = ingest(call(fmt.Sprint("short-", i), "outbound", 50))
			visio.ExternalID = fmt.Sprint("visio-", i)
			fromVisio = ingest(visio)
			if short.Status == Excluded && fromVisio.Status == Stored {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Errorf("after the other instance's saves: a 50 s call %s (want excluded), a call from visio %s (want stored)",
			short.Status, fromVisio.Status)
	})
}
