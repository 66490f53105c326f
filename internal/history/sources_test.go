package history

import (
	"context"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAConfiguredSourceIsAcceptedAndAnUnknownOneRejectedWithTheList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newEstablishmentFixture(t, d)
		ctx := context.Background()
		visio := func(source, id string) Item {
			return Item{Source: source, ExternalID: id, Channel: "video", Direction: "outbound",
				OccurredAt: "2026-11-20T10:00:00+01:00", ClientNumber: "1000000001"}
		}
		// Before it is added, the source is unknown (and read into the cache).
		res, err := f.store.Ingest(ctx, f.integration, []Item{visio("visio", "v0")})
		if err != nil || res[0].Status != Rejected {
			t.Fatalf("unknown source: %+v (%v)", res, err)
		}
		src, err := f.store.AddSource(ctx, f.admin, SourceInput{Code: "visio", Name: "Visioconférence", Retention: ClassCRMMessage})
		if err != nil {
			t.Fatal(err)
		}
		if src.Builtin || src.CreatedAt.IsZero() {
			t.Errorf("added source %+v", src)
		}
		res, err = f.store.Ingest(ctx, f.integration, []Item{visio("visio", "v1"), visio("fax_server", "f1")})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Status != Stored {
			t.Errorf("configured source: %s (%s)", res[0].Status, res[0].Reason)
		}
		if res[1].Status != Rejected || !strings.Contains(res[1].Reason, "source: one of telephony,") ||
			!strings.Contains(res[1].Reason, "visio") {
			t.Errorf("unknown source answered %s (%s), want rejected with the list", res[1].Status, res[1].Reason)
		}
		list, err := f.store.ListSources(ctx, f.admin)
		if err != nil {
			t.Fatal(err)
		}
		last := list[len(list)-1]
		if len(list) != len(Sources)+1 || last.Code != "visio" || last.Retention != ClassCRMMessage || !list[0].Builtin {
			t.Errorf("sources %+v", list)
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'history_source.create' AND object_id = 'visio'").Scan(&n); err != nil || n != 1 {
			t.Errorf("%d audit entries for the new source (%v)", n, err)
		}
	})
}

func TestAddingASourceIsValidated(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newEstablishmentFixture(t, d)
		ctx := context.Background()
		if _, err := f.store.AddSource(ctx, f.integration, SourceInput{Code: "visio", Name: "Visio"}); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("added without admin: %v", err)
		}
		for _, c := range []struct {
			in          SourceInput
			field, want string
		}{
			{SourceInput{Code: "Visio Conf", Name: "Visio"}, "code", "lower-case"},
			{SourceInput{Code: "x", Name: "Visio"}, "code", "2 to 40"},
			{SourceInput{Code: "telephony", Name: "Téléphonie"}, "code", "built-in"},
			{SourceInput{Code: "visio", Name: ""}, "name", "required"},
			{SourceInput{Code: "visio", Name: "Visio", Retention: "weekly"}, "retention", "agent_mailbox"},
		} {
			_, err := f.store.AddSource(ctx, f.admin, c.in)
			if core.ErrorCode(err) != core.Invalid || !strings.Contains(fieldsOf(err)[c.field], c.want) {
				t.Errorf("%+v: %v, want %s: …%s…", c.in, err, c.field, c.want)
			}
		}
		src, err := f.store.AddSource(ctx, f.admin, SourceInput{Code: "visio", Name: "Visio"})
		if err != nil || src.Retention != ClassOther {
			t.Fatalf("a source without a retention class follows other: %+v (%v)", src, err)
		}
		if _, err := f.store.AddSource(ctx, f.admin, SourceInput{Code: "visio", Name: "Encore"}); core.ErrorCode(err) != core.Conflict {
			t.Errorf("the same code twice: %v", err)
		}
	})
}
