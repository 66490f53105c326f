package party

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestACSVImportRejectsUnstorableRowsAloneOnBothEngines(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		var in strings.Builder
		in.WriteString("client_number,last_name,agency_code,city\n")
		bad := map[int]string{} // line → the reason's start
		for i := 1; i <= 30; i++ {
			name, city := fmt.Sprintf("Client%d", i), "Lille"
			switch i {
			case 5:
				name, bad[i+1] = "Du\x00pré", "last_name: "+core.NulByte().English()
			case 12:
				city, bad[i+1] = "Li\xffle", "addresses[0].city: "+core.InvalidUTF8().English()
			case 20:
				name, bad[i+1] = strings.Repeat("x", 10<<20), "last_name: "+core.TooLong(core.MaxName).English()
			}
			fmt.Fprintf(&in, "%d,%s,A-LILLE,%s\n", 3000000000+i, name, city)
		}
		// The CSV only names the city without an address line: give one.
		text := strings.ReplaceAll(strings.Replace(in.String(), "city\n", "line1,city\n", 1), ",Li", ",1 rue,Li")
		var rejects bytes.Buffer
		res, err := s.ImportParties(ctx, core.System(), strings.NewReader(text), "csv", &rejects, nil)
		if err != nil {
			t.Fatalf("the import stopped: %v", err)
		}
		if res.Inserted != 27 || res.Rejected != 3 {
			t.Errorf("result %+v, want 27 inserted and 3 rejected", res)
		}
		recs, err := csv.NewReader(&rejects).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range recs[1:] {
			got[r[0]] = r[1]
		}
		for line, why := range bad {
			if !strings.HasPrefix(got[fmt.Sprint(line)], why) {
				t.Errorf("line %d: rejected as %q, want %q", line, got[fmt.Sprint(line)], why)
			}
		}
		if hits, _ := s.QuickSearch(ctx, o.admin(), "Client30", 0); len(hits) != 1 {
			t.Errorf("the good row after the bad ones is not in: %v", hits)
		}
	})
}

func TestABatchTheDatabaseRefusesIsRetriedRowByRow(t *testing.T) {
	var run importRun[string]
	var rejects bytes.Buffer
	run.rej = newRejectWriter(&rejects)
	var stored []string
	write := func(context.Context) error {
		if slices.Contains(run.batch, "bad") {
			return errors.New("ERROR: index row size 3016 exceeds btree version 4 maximum 2704")
		}
		stored = append(stored, run.batch...)
		return nil
	}
	rows := &listRows{items: []string{"a", "bad", "c"}}
	err := run.each(context.Background(), rows, func(r *sourceRow) (string, string, error) { return r.raw, r.raw, nil }, write, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.rej.flush(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(stored, []string{"a", "c"}) || run.res.Rejected != 1 || !strings.Contains(rejects.String(), "2,the database refused the row") {
		t.Errorf("stored %v, %+v, rejects %q", stored, run.res, rejects.String())
	}
}

// listRows yields one row per item, on lines 1, 2, 3…
type listRows struct {
	items []string
	n     int
}

func (l *listRows) next() (sourceRow, error) {
	if l.n == len(l.items) {
		return sourceRow{}, io.EOF
	}
	l.n++
	return sourceRow{line: l.n, raw: l.items[l.n-1]}, nil
}
