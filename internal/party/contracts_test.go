package party

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestContractsListActiveFirstThenMostRecentlyOpened(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.advisor(), helene())
		for _, in := range []ContractInput{
			{Number: "C-OLD", Product: "savings", Status: "closed", OpenedOn: "2001-01-01", ClosedOn: "2010-01-01"},
			{Number: "C-A1", Product: "current_account", OpenedOn: "2005-03-01"},
			{Number: "C-A2", Product: "card", OpenedOn: "2020-03-01"},
			{Number: "C-P", Product: "home_loan", Status: "pending"},
		} {
			in.HolderIDs = []string{p.ID}
			if _, err := s.CreateContract(ctx, o.advisor(), in); err != nil {
				t.Fatal(err)
			}
		}
		list, err := s.Contracts(ctx, o.advisor(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range list {
			got = append(got, c.Number)
		}
		if strings.Join(got, " ") != "C-A2 C-A1 C-OLD C-P" {
			t.Fatalf("order = %v", got)
		}
		if list[0].ProductLabel != "Carte bancaire" || len(list[0].Holders) != 1 || list[0].Holders[0].DisplayName != "Hélène Dupré" {
			t.Fatalf("contract = %+v", list[0])
		}
		c, err := s.Contract(ctx, o.advisor(), list[0].ID)
		if err != nil || c.Number != "C-A2" || c.AgencyCode != "A-LILLE" {
			t.Fatalf("contract = %+v, %v", c, err)
		}
	})
}

func TestCreateContractRefusesDuplicatesUnknownProductsAndHoldersOutsideScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.advisor(), helene())
		in := helene()
		in.AgencyCode, in.ClientNumber = "A-NICE", "9"
		nice := mustCreate(t, s, o.admin(), in)
		if _, err := s.CreateContract(ctx, o.advisor(), ContractInput{Number: "X1", Product: "card", HolderIDs: []string{p.ID}}); err != nil {
			t.Fatal(err)
		}
		_, err := s.CreateContract(ctx, o.advisor(), ContractInput{Number: "x1", Product: "card", HolderIDs: []string{p.ID}})
		wantCode(t, err, core.Conflict)
		_, err = s.CreateContract(ctx, o.advisor(), ContractInput{Number: "X2", Product: "yacht", HolderIDs: []string{p.ID}})
		wantField(t, err, "product")
		_, err = s.CreateContract(ctx, o.advisor(), ContractInput{Number: "X3", Product: "card", OpenedOn: "2020-13-01", HolderIDs: []string{p.ID}})
		wantField(t, err, "opened_on")
		_, err = s.CreateContract(ctx, o.advisor(), ContractInput{Number: "X4", Product: "card", HolderIDs: []string{p.ID, nice.ID}})
		wantField(t, err, "holder_ids[1]")
		c, err := s.CreateContract(ctx, o.admin(), ContractInput{Number: "X5", Product: "card", HolderIDs: []string{nice.ID, p.ID}})
		if err != nil {
			t.Fatal(err)
		}
		// The advisor sees the contract through the holder in scope, and only that holder.
		seen, err := s.Contract(ctx, o.advisor(), c.ID)
		if err != nil || len(seen.Holders) != 1 || seen.Holders[0].ID != p.ID {
			t.Fatalf("contract = %+v, %v", seen, err)
		}
		only, _ := s.CreateContract(ctx, o.admin(), ContractInput{Number: "X6", Product: "card", HolderIDs: []string{nice.ID}})
		_, err = s.Contract(ctx, o.advisor(), only.ID)
		wantCode(t, err, core.NotFound)
	})
}

func TestProductLabelSpeaksFrenchAndEnglish(t *testing.T) {
	if ProductLabel("home_loan", "fr") != "Prêt immobilier" || ProductLabel("home_loan", "en") != "Home loan" ||
		ProductLabel("home_loan", "") != "Prêt immobilier" || ProductLabel("boat", "en") != "boat" {
		t.Fatal("labels")
	}
	for _, code := range Products {
		if ProductLabel(code, "en") == code {
			t.Errorf("%s has no label", code)
		}
	}
}

func TestImportContractsUpsertsOnNumberAndLinksHoldersByClientNumber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		if _, err := s.ImportParties(ctx, core.System(), strings.NewReader(partiesCSV), "csv", nil, nil); err != nil {
			t.Fatal(err)
		}
		file := `number,product,status,opened_on,closed_on,agency_code,holder_client_numbers
CC-1,current_account,active,2019-04-01,,,2000000001;2000000002
CC-2,savings,closed,2010-01-01,2015-01-01,A-NICE,2000000002
CC-3,card,active,,,,9999999999
CC-4,boat,active,,,,2000000001
`
		var rejects bytes.Buffer
		res, err := s.ImportContracts(ctx, core.System(), strings.NewReader(file), "csv", &rejects, nil)
		if err != nil || res != (ImportResult{Read: 4, Inserted: 2, Rejected: 2}) {
			t.Fatalf("result = %+v, %v\n%s", res, err, rejects.String())
		}
		if !strings.Contains(rejects.String(), "4,holder_client_numbers[0]") || !strings.Contains(rejects.String(), "5,product") {
			t.Fatalf("rejects = %s", rejects.String())
		}
		res, err = s.ImportContracts(ctx, core.System(), strings.NewReader(file), "csv", nil, nil)
		if err != nil || res != (ImportResult{Read: 4, Unchanged: 2, Rejected: 2}) {
			t.Fatalf("second run = %+v, %v", res, err)
		}
		changed := strings.Replace(file, "2000000001;2000000002", "2000000001", 1)
		if res, err = s.ImportContracts(ctx, core.System(), strings.NewReader(changed), "csv", nil, nil); err != nil || res.Updated != 1 {
			t.Fatalf("changed run = %+v, %v", res, err)
		}
		hits, _ := s.QuickSearch(ctx, o.admin(), "CC-1", 0)
		if len(hits) != 1 || hits[0].ClientNumber != "2000000001" || hits[0].Match != "contract" {
			t.Fatalf("hits = %+v", hits)
		}
	})
}
