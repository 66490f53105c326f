package party

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

const partiesCSV = `kind,status,client_number,first_name,last_name,name,birth_date,agency_code,advisor_login,email,phone,line1,postal_code,city,consent_email
person,client,2000000001,Hélène,Dupré,,1980-05-17,A-LILLE,jmartin,helene@example.fr,06 12 34 56 78,3 rue Nationale,59000,Lille,oui
person,client,2000000002,Paul,Martin,,,A-NICE,,,,,,,
organization,client,2000000003,,,Boulangerie Œuvre,,A-NICE,,contact@oeuvre.fr,+33 4 93 00 00 00,,,,
`

func TestImportTwiceChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		res, err := s.ImportParties(ctx, core.System(), strings.NewReader(partiesCSV), "csv", nil, nil)
		if err != nil || res != (ImportResult{Read: 3, Inserted: 3}) {
			t.Fatalf("first import = %+v, %v", res, err)
		}
		hits, _ := s.QuickSearch(ctx, o.admin(), "helene dupre", 0)
		if len(hits) != 1 {
			t.Fatalf("imported party not found by name: %v", hits)
		}
		before, _ := s.Get(ctx, o.admin(), hits[0].ID)
		testClockAdvance(s)
		res, err = s.ImportParties(ctx, core.System(), strings.NewReader(partiesCSV), "csv", nil, nil)
		if err != nil || res != (ImportResult{Read: 3, Unchanged: 3}) {
			t.Fatalf("second import = %+v, %v", res, err)
		}
		after, _ := s.Get(ctx, o.admin(), hits[0].ID)
		if after.Version != before.Version || !after.UpdatedAt.Equal(before.UpdatedAt) || after.Emails[0].ID != before.Emails[0].ID {
			t.Fatalf("second import touched the party: %+v → %+v", before, after)
		}
		changed := strings.Replace(partiesCSV, "Paul,Martin", "Paul,Martin-Roux", 1)
		res, err = s.ImportParties(ctx, core.System(), strings.NewReader(changed), "csv", nil, nil)
		if err != nil || res != (ImportResult{Read: 3, Updated: 1, Unchanged: 2}) {
			t.Fatalf("changed import = %+v, %v", res, err)
		}
		if hits, _ := s.QuickSearch(ctx, o.admin(), "roux", 0); len(hits) != 1 || hits[0].ClientNumber != "2000000002" {
			t.Fatalf("updated name not indexed: %v", hits)
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'party.import'").Scan(&n); err != nil || n != 3 {
			t.Fatalf("import audit entries = %d, %v (want one per run)", n, err)
		}
	})
}

func testClockAdvance(s *Store) { s.clock.(*core.FixedClock).Advance(3600e9) }

func TestImportReportsBadRowsWithLineNumbersAndKeepsGoodOnes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		file := `client_number,last_name,agency_code,email,phone,birth_date
3000000001,Bon,A-LILLE,bon@example.fr,,
,Sans Numéro,A-LILLE,,,
3000000003,Mauvais,A-LILLE,pas-un-email,,
3000000004,Téléphone,A-LILLE,,12,
3000000005,Agence,A-NOWHERE,,,
3000000006,"Multi
Ligne",A-LILLE,,,2099-01-01
3000000007,Bon Aussi,A-NICE,,,
3000000008,Court
`
		var rejects bytes.Buffer
		var seen []int
		res, err := s.ImportParties(ctx, core.System(), strings.NewReader(file), "csv", &rejects, func(st Step) { seen = append(seen, st.Rows) })
		if err != nil {
			t.Fatal(err)
		}
		if res != (ImportResult{Read: 8, Inserted: 2, Rejected: 6}) {
			t.Fatalf("result = %+v", res)
		}
		recs, err := csv.NewReader(&rejects).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ line, reason string }{
			{"3", "client_number required for import"},
			{"4", "emails[0].address"},
			{"5", "phones[0].number"},
			{"6", "agency_code: unknown agency"},
			{"7", "birth_date: must not be in the future"},
			{"10", "fields"},
		}
		if len(recs) != len(want)+1 || strings.Join(recs[0], ",") != "line,reason,raw" {
			t.Fatalf("rejects = %q", recs)
		}
		for i, w := range want {
			r := recs[i+1]
			if r[0] != w.line || !strings.Contains(r[1], w.reason) {
				t.Errorf("reject %d = %q, want line %s with %q", i, r, w.line, w.reason)
			}
		}
		if recs[2][2] != "3000000003,Mauvais,A-LILLE,pas-un-email,," {
			t.Errorf("raw = %q", recs[2][2])
		}
		if len(seen) == 0 || seen[len(seen)-1] != 8 {
			t.Errorf("progress = %v", seen)
		}
		if hits, _ := s.QuickSearch(ctx, o.admin(), "bon", 0); len(hits) != 2 {
			t.Errorf("good rows not imported: %v", hits)
		}
	})
}

func TestImportReadsNDJSON(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		file := `{"status":"client","client_number":"4000000001","first_name":"Zoé","last_name":"Lefèvre","agency_code":"A-LILLE","emails":[{"address":"zoe@example.fr","kind":"professional"},{"address":"z@example.com"}],"phones":[{"number":"0612345678"}],"consents":{"sms":true}}

{"client_number":"4000000002","last_name":"X","agency_code":"A-LILLE","unknown":1}
not json
`
		var rejects bytes.Buffer
		res, err := s.ImportParties(ctx, core.System(), strings.NewReader(file), "ndjson", &rejects, nil)
		if err != nil || res != (ImportResult{Read: 3, Inserted: 1, Rejected: 2}) {
			t.Fatalf("result = %+v, %v\n%s", res, err, rejects.String())
		}
		if !strings.Contains(rejects.String(), "\n3,") || !strings.Contains(rejects.String(), "\n4,") {
			t.Fatalf("rejects = %s", rejects.String())
		}
		hits, _ := s.QuickSearch(ctx, o.admin(), "zoe lef", 0)
		if len(hits) != 1 {
			t.Fatalf("hits = %v", hits)
		}
		p, _ := s.Get(ctx, o.admin(), hits[0].ID)
		if len(p.Emails) != 2 || p.Emails[0].Kind != "professional" || !p.Consents.SMS || p.Phones[0].Number != "+33612345678" {
			t.Fatalf("party = %+v", p)
		}
	})
}

func TestImportRefusesAnUnknownFormatOrColumn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := newStore(t, d)
		_, err := s.ImportParties(context.Background(), core.System(), strings.NewReader("a,b\n"), "xml", nil, nil)
		wantCode(t, err, core.BadRequest)
		_, err = s.ImportParties(context.Background(), core.System(), strings.NewReader("client_number,surname\n"), "csv", nil, nil)
		wantCode(t, err, core.BadRequest)
	})
}
