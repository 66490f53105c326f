package history

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// establishmentFixture adds to the bank of newFixture a store on a clock
// the test moves, an integration pushing for the establishment BR (from its
// agency A1) and an administrator.
type establishmentFixture struct {
	*fixture
	d      *db.DB
	clock  *core.FixedClock
	store  *Store
	branch *core.Actor // pushes for establishment BR
	admin  *core.Actor
}

func newEstablishmentFixture(t *testing.T, d *db.DB) *establishmentFixture {
	t.Helper()
	f := newFixture(t, d)
	clock := core.NewFixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	var a1 string
	if err := d.QueryRow(context.Background(), "SELECT id FROM units WHERE code = 'A1'").Scan(&a1); err != nil {
		t.Fatal(err)
	}
	return &establishmentFixture{fixture: f, d: d, clock: clock,
		store: NewStore(d, clock, audit.New(d, clock), f.parties, DefaultRules(), newFiles(t, f.filesDir, clock)),
		branch: &core.Actor{Login: "br-telephony", UnitID: a1, Permissions: []core.Permission{core.PermHistoryWrite},
			Scope: core.Scope{All: true}},
		admin: core.System()}
}

func TestSettingsMissingFieldsFallBackToTheDefaults(t *testing.T) {
	s := &Store{rules: DefaultRules()}
	st, err := s.parseSettings(`{"min_outbound_call_seconds": 60, "spam_tags": []}`,
		`{"agent_mailbox": {"inline_days": 30}, "other": {"body_days": 100}}`)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rules.MinOutboundCall != time.Minute || len(st.Rules.SpamTags) != 0 {
		t.Errorf("fields given not applied: %+v", st.Rules)
	}
	def := DefaultRules()
	if !reflect.DeepEqual(st.Rules.PrivateKeywords, def.PrivateKeywords) || !reflect.DeepEqual(st.Rules.LetterTypes, def.LetterTypes) {
		t.Errorf("missing rules did not fall back to the defaults: %+v", st.Rules)
	}
	if got := st.Retention[ClassAgentMailbox]; got != (KeepDays{Subject: 365, Body: 365, Attachments: 365, Inline: 30}) {
		t.Errorf("agent mailbox retention %+v", got)
	}
	if got := st.Retention[ClassOther]; got != (KeepDays{Subject: 730, Body: 100, Attachments: 730, Inline: 730}) {
		t.Errorf("other retention %+v", got)
	}
	if got := st.Retention[ClassNotification]; got != DefaultRetention()[ClassNotification] {
		t.Errorf("notification retention %+v, want the default", got)
	}
	// Merging never changes the defaults themselves.
	if DefaultRetention()[ClassAgentMailbox].Inline != 60 || len(s.rules.SpamTags) != 1 {
		t.Errorf("the defaults changed")
	}
}

func TestSettingsWrittenAsJSONReadBackTheSame(t *testing.T) {
	s := &Store{rules: DefaultRules()}
	in := s.DefaultSettings()
	in.Rules.MinOutboundCall = 55 * time.Second
	in.Rules.LetterTypes = map[string]string{"PND": "Pli non distribué"}
	in.Retention[ClassCRMMessage] = KeepDays{Subject: 900, Body: 800, Attachments: 0, Inline: 0}
	rules, _ := json.Marshal(in.Rules)
	retention, _ := json.Marshal(in.Retention)
	out, err := s.parseSettings(string(rules), string(retention))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip:\n%+v\n%+v", in, out)
	}
	if !strings.Contains(string(rules), `"min_outbound_call_seconds":55`) {
		t.Errorf("rules JSON %s", rules)
	}
}

func TestSettingsValidationNamesEveryFieldAtFault(t *testing.T) {
	s := &Store{rules: DefaultRules()}
	st := s.DefaultSettings()
	st.Rules.MinOutboundCall = -time.Second
	st.Rules.PrivateKeywords = []string{"Perso", "très privé"}
	st.Rules.NotificationCategories = []string{"Card!"}
	st.Rules.LetterTypes = map[string]string{"P N D": "Pli"}
	st.Retention[ClassCRMMessage] = KeepDays{Subject: 100, Body: 200}
	st.Retention[ClassNotification] = KeepDays{Subject: 0, Body: 1}
	st.Retention[ClassAgentMailbox] = KeepDays{Subject: 365, Body: 365, Attachments: 400, Inline: -1}
	st.Retention["fax"] = KeepDays{Subject: 1, Body: 1}
	delete(st.Retention, ClassOther)
	err := st.Validate()
	if core.ErrorCode(err) != core.Invalid {
		t.Fatalf("invalid settings accepted: %v", err)
	}
	fields := fieldsOf(err)
	for field, why := range map[string]string{
		"rules.min_outbound_call_seconds":          "between 0 and 3600 seconds",
		"rules.private_keywords":                   "one word each",
		"rules.notification_categories":            "lower-case",
		"rules.letter_types":                       "capital letters",
		"retention.crm_message.body_days":          "must not exceed the subject's duration",
		"retention.notification.subject_days":      "positive",
		"retention.agent_mailbox.attachments_days": "must not exceed",
		"retention.agent_mailbox.inline_days":      "negative",
		"retention.fax":                            "one of agent_mailbox,",
		"retention.other":                          "required",
	} {
		if !strings.Contains(fields[field], why) {
			t.Errorf("%s: %q, want %q", field, fields[field], why)
		}
	}
	if err := s.DefaultSettings().Validate(); err != nil {
		t.Errorf("the defaults do not validate: %v", err)
	}
}

func fieldsOf(err error) map[string]string {
	if e, ok := err.(*core.Error); ok {
		return e.Fields.English()
	}
	return nil
}

func call(id string, direction string, secs int) Item {
	return Item{Source: "telephony", ExternalID: id, Channel: "phone", Direction: direction,
		OccurredAt: "2026-11-20T10:00:00+01:00", DurationSeconds: seconds(secs), To: []string{"06 12 34 56 78"}}
}

func TestAnEstablishmentsOutboundThresholdAppliesToWhatItPushes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newEstablishmentFixture(t, d)
		ctx := context.Background()
		st := f.store.DefaultSettings()
		st.Rules.MinOutboundCall = 60 * time.Second
		if _, err := f.store.SaveSettings(ctx, f.admin, "BR", st); err != nil {
			t.Fatal(err)
		}
		// A 50 s outbound call: excluded for BR (60 s), kept by the defaults (40 s).
		res, err := f.store.Ingest(ctx, f.branch, []Item{call("br-1", "outbound", 50), call("br-2", "outbound", 70),
			call("br-3", "inbound", 5)})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Status != Excluded || res[0].Reason != string(ShortOutboundCall) || res[1].Status != Stored || res[2].Status != Stored {
			t.Errorf("BR's calls: %+v", res)
		}
		res, err = f.store.Ingest(ctx, f.integration, []Item{call("def-1", "outbound", 50)})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Status != Stored {
			t.Errorf("a 50 s call pushed without an establishment: %s (%s), want stored", res[0].Status, res[0].Reason)
		}
		var est string
		if err := d.QueryRow(ctx, "SELECT establishment_id FROM interactions WHERE external_id = 'br-2'").Scan(&est); err != nil || est == "" {
			t.Errorf("BR's call kept establishment %q (%v)", est, err)
		}
		// Saving again takes effect at once: the cache is not stale.
		st.Rules.MinOutboundCall = 45 * time.Second
		if _, err := f.store.SaveSettings(ctx, f.admin, "BR", st); err != nil {
			t.Fatal(err)
		}
		if res, _ = f.store.Ingest(ctx, f.branch, []Item{call("br-4", "outbound", 50)}); res[0].Status != Stored {
			t.Errorf("after lowering BR's threshold to 45 s a 50 s call is %s", res[0].Status)
		}
	})
}

func TestSavingSettingsNeedsAdminIsAuditedAndRefusesWhatIsNotAnEstablishment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newEstablishmentFixture(t, d)
		ctx := context.Background()
		st := f.store.DefaultSettings()
		if _, err := f.store.SaveSettings(ctx, f.integration, "BR", st); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("saved without admin: %v", err)
		}
		if _, err := f.store.EstablishmentSettings(ctx, f.readOnly, "BR"); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("read without admin: %v", err)
		}
		for _, code := range []string{"A1", "NOPE"} {
			if _, err := f.store.SaveSettings(ctx, f.admin, code, st); core.ErrorCode(err) != core.NotFound {
				t.Errorf("settings of %s: %v, want not found", code, err)
			}
		}
		got, err := f.store.EstablishmentSettings(ctx, f.admin, "BR")
		if err != nil || got.Custom || got.Rules.MinOutboundCall != 40*time.Second {
			t.Fatalf("BR before any save: %+v (%v)", got, err)
		}
		st.Rules.PrivateKeywords = []string{" Confidentiel ", "", "confidentiel", "Perso"}
		st.Rules.SpamTags = []string{"[SPAM]"}
		st.Retention[ClassOther] = KeepDays{Subject: 730, Body: 300, Attachments: 300, Inline: 300}
		saved, err := f.store.SaveSettings(ctx, f.admin, "BR", st)
		if err != nil {
			t.Fatal(err)
		}
		if !saved.Custom || !reflect.DeepEqual(saved.Rules.PrivateKeywords, []string{"Confidentiel", "Perso"}) ||
			!reflect.DeepEqual(saved.Rules.SpamTags, []string{"SPAM"}) {
			t.Errorf("saved settings not normalised: %+v", saved.Rules)
		}
		got, _ = f.store.EstablishmentSettings(ctx, f.admin, "BR")
		if !got.Custom || got.Retention[ClassOther].Body != 300 || got.UpdatedAt.IsZero() {
			t.Errorf("read back: %+v", got)
		}
		var detail string
		if err := d.QueryRow(ctx, "SELECT detail FROM audit_log WHERE action = 'history_settings.update'").Scan(&detail); err != nil {
			t.Fatalf("no audit entry: %v", err)
		}
		var changes map[string]audit.Change
		if err := json.Unmarshal([]byte(detail), &changes); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(detail, `"body_days":730`) || !strings.Contains(detail, `"body_days":300`) || changes["rules"].Old == nil {
			t.Errorf("audit detail lacks before and after: %s", detail)
		}
		overview, err := f.store.SettingsOverview(ctx, f.admin)
		if err != nil || len(overview) != 1 || overview[0].EstablishmentCode != "BR" || !overview[0].Custom {
			t.Errorf("overview %+v (%v)", overview, err)
		}
		// An invalid save changes nothing.
		bad := f.store.DefaultSettings()
		bad.Retention[ClassOther] = KeepDays{Subject: 10, Body: 20}
		if _, err := f.store.SaveSettings(ctx, f.admin, "BR", bad); core.ErrorCode(err) != core.Invalid {
			t.Errorf("invalid save: %v", err)
		}
		if got, _ := f.store.EstablishmentSettings(ctx, f.admin, "BR"); got.Retention[ClassOther].Body != 300 {
			t.Errorf("an invalid save changed the settings: %+v", got.Retention[ClassOther])
		}
	})
}
