package catalogue_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

var ctx = context.Background()

func TestEveryLabelOfEveryCatalogueHasBothLanguages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b, err := catalogue.Load(ctx, d, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range catalogue.Kinds {
			entries := b.Terms(kind)
			if len(entries) == 0 {
				t.Errorf("catalogue %s is empty", kind)
			}
			for _, e := range entries {
				if e.LabelFR == "" || e.LabelEN == "" || e.LabelFR == e.Code || e.LabelEN == e.Code {
					t.Errorf("%s %s: labels %q / %q, want both languages", kind, e.Code, e.LabelFR, e.LabelEN)
				}
			}
		}
		if got := b.Label(catalogue.ReportReasons, "savings", "en"); got != "Savings" {
			t.Errorf("English label of savings: %q", got)
		}
		if got := b.Label(catalogue.Products, "life_insurance", "fr"); got != "Assurance vie" {
			t.Errorf("French label of life_insurance: %q", got)
		}
	})
}

// twoBanks makes two establishments with an agency each.
func twoBanks(t *testing.T, d *db.DB, clock core.Clock) (bankAgency, otherAgency org.Unit) {
	t.Helper()
	orgs := org.NewStore(d, clock, audit.New(d, clock))
	for _, in := range []org.UnitInput{
		{Code: "BANK", Name: "Banque", Kind: org.KindEstablishment},
		{Code: "BANK-A", Name: "Agence", Kind: org.KindAgency, ParentCode: "BANK"},
		{Code: "OTHER", Name: "Autre banque", Kind: org.KindEstablishment},
		{Code: "OTHER-A", Name: "Autre agence", Kind: org.KindAgency, ParentCode: "OTHER"},
	} {
		u, err := orgs.CreateUnit(ctx, core.System(), in)
		if err != nil {
			t.Fatal(err)
		}
		switch in.Code {
		case "BANK-A":
			bankAgency = u
		case "OTHER-A":
			otherAgency = u
		}
	}
	return bankAgency, otherAgency
}

func TestAnEstablishmentsReasonsAreItsOwn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clock := core.NewFixedClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
		log := audit.New(d, clock)
		s := catalogue.NewStore(d, clock, log)
		bank, other := twoBanks(t, d, clock)
		admin := core.System()
		for _, in := range []catalogue.TermInput{
			{Code: "succession", LabelFR: "Succession", LabelEN: "Estate", Active: true},
			{Code: "savings", LabelFR: "Épargne et livrets", LabelEN: "Savings and passbooks", Active: true},
			{Code: "complaint", LabelFR: "Réclamation", LabelEN: "Complaint", Active: false},
		} {
			if _, err := s.SaveReportReason(ctx, admin, "BANK", in); err != nil {
				t.Fatalf("save %s: %v", in.Code, err)
			}
		}
		mine, err := catalogue.ForUnit(ctx, d, bank.ID)
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := catalogue.ForUnit(ctx, d, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !mine.IsActive(catalogue.ReportReasons, "succession") || theirs.IsActive(catalogue.ReportReasons, "succession") {
			t.Errorf("the added reason: own %v, other establishment %v", mine.Codes(catalogue.ReportReasons), theirs.Codes(catalogue.ReportReasons))
		}
		if got := mine.Label(catalogue.ReportReasons, "savings", "fr"); got != "Épargne et livrets" {
			t.Errorf("relabelled savings: %q", got)
		}
		if got := theirs.Label(catalogue.ReportReasons, "savings", "fr"); got != "Épargne" {
			t.Errorf("the other establishment's savings: %q", got)
		}
		if mine.IsActive(catalogue.ReportReasons, "complaint") || !theirs.IsActive(catalogue.ReportReasons, "complaint") {
			t.Errorf("deactivated complaint: own active %v, other active %v",
				mine.IsActive(catalogue.ReportReasons, "complaint"), theirs.IsActive(catalogue.ReportReasons, "complaint"))
		}
		// A deactivated reason is still labelled: reports written with it keep their label.
		if got := mine.Label(catalogue.ReportReasons, "complaint", "en"); got != "Complaint" {
			t.Errorf("label of a deactivated reason: %q", got)
		}
		// Saving again updates the establishment's row in place.
		if _, err := s.SaveReportReason(ctx, admin, "BANK", catalogue.TermInput{Code: "complaint",
			LabelFR: "Réclamation", LabelEN: "Complaint", Active: true}); err != nil {
			t.Fatal(err)
		}
		_, list, err := s.ReportReasons(ctx, admin, "BANK")
		if err != nil {
			t.Fatal(err)
		}
		count := 0
		for _, e := range list {
			if e.Code == "complaint" {
				count++
				if !e.Active || !e.Own {
					t.Errorf("reactivated complaint: %+v", e)
				}
			}
		}
		if count != 1 {
			t.Errorf("complaint listed %d times", count)
		}
		page, err := log.List(ctx, admin, audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		saves := 0
		for _, e := range page.Items {
			if e.Action == "catalogue.report_reason.save" {
				saves++
			}
		}
		if saves != 4 {
			t.Errorf("%d audit entries for 4 saves", saves)
		}
	})
}

func TestAReasonNeedsBothLabelsAndAnAdministrator(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clock := core.NewFixedClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
		s := catalogue.NewStore(d, clock, audit.New(d, clock))
		twoBanks(t, d, clock)
		_, err := s.SaveReportReason(ctx, core.System(), "BANK", catalogue.TermInput{Code: "Bad Code", LabelFR: "Succession"})
		e, ok := err.(*core.Error)
		if !ok || e.Code != core.Invalid || e.Fields["code"].Code != "catalogue_code" || e.Fields["label_en"].Code != "required_up_to" {
			t.Errorf("bad reason: %v", err)
		}
		advisor := &core.Actor{Login: "adv", Permissions: []core.Permission{core.PermReportWrite}}
		_, err = s.SaveReportReason(ctx, advisor, "BANK", catalogue.TermInput{Code: "succession", LabelFR: "Succession", LabelEN: "Estate"})
		if core.ErrorCode(err) != core.Forbidden {
			t.Errorf("an advisor saving a reason: %v, want forbidden", err)
		}
		_, err = s.SaveReportReason(ctx, core.System(), "BANK-A", catalogue.TermInput{Code: "succession", LabelFR: "Succession", LabelEN: "Estate"})
		if core.ErrorCode(err) != core.NotFound {
			t.Errorf("an agency's catalogue: %v, want not found (establishments only)", err)
		}
	})
}

// TestContractProductsAreTheCataloguesProducts checks the products contracts
// accept (party.Products, checked without a query on every imported row)
// are the product catalogue's, with the same French labels, so the two
// cannot drift apart.
func TestContractProductsAreTheCataloguesProducts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b, err := catalogue.Load(ctx, d, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Codes(catalogue.Products); !slices.Equal(got, party.Products) {
			t.Errorf("catalogue products %v, contracts accept %v", got, party.Products)
		}
		for _, code := range party.Products {
			if got, want := b.Label(catalogue.Products, code, "fr"), party.ProductLabel(code, "fr"); got != want {
				t.Errorf("%s: catalogue says %q, contracts %q", code, got, want)
			}
		}
	})
}
