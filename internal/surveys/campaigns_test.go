package surveys_test

import (
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/surveys"
)

func TestACampaignSaysWhatIsWrongFieldByField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		in := campaignInput("Bad Code", surveys.ChannelSMS, surveys.Scale10, surveys.TriggerCall)
		in.LinkDays = 91
		in.Texts = map[string]surveys.Texts{"fr": {Question: "?", SMS: ""}, "de": {Question: "?"},
			"en": {Question: strings.Repeat("é", 501), SMS: "a\x00b"}}
		_, err := f.Surveys.CreateCampaign(f.ctx, f.Admin, in)
		var e *core.Error
		if core.ErrorCode(err) != core.Invalid || !errorsAs(err, &e) {
			t.Fatalf("%v", err)
		}
		for field, code := range map[string]string{"code": "campaign_code", "link_days": "out_of_range",
			"texts.fr.sms": "required", "texts": "one_of", "texts.en.question": "too_long", "texts.en.sms": "nul_byte"} {
			if e.Fields[field].Code != code {
				t.Errorf("%s: %v, want %s", field, e.Fields[field], code)
			}
		}
		in = campaignInput("ok", surveys.ChannelEmail, surveys.Scale5, surveys.TriggerCall)
		in.LinkDays = 0
		c, err := f.Surveys.CreateCampaign(f.ctx, f.Admin, in)
		if err != nil || c.LinkDays != surveys.DefaultLinkDays {
			t.Fatalf("%+v %v", c, err)
		}
		in.EstablishmentCode = "A1"
		if _, err := f.Surveys.CreateCampaign(f.ctx, f.Admin, in); core.ErrorCode(err) != core.Invalid {
			t.Fatalf("an agency as establishment: %v", err)
		}
	})
}

func TestOnlyTheEstablishmentsAdministratorsSeeItsCampaigns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		adv := f.actor(t, "adv1")
		if _, err := f.Surveys.Campaigns(f.ctx, adv); core.ErrorCode(err) != core.Forbidden {
			t.Fatalf("an advisor lists: %v", err)
		}
		// An administrator of agency A1 only does not administer BR.
		adv.Permissions = append(adv.Permissions, core.PermSurveyAdmin)
		if list, err := f.Surveys.Campaigns(f.ctx, adv); err != nil || len(list) != 0 {
			t.Fatalf("%v %v", list, err)
		}
		if _, err := f.Surveys.Campaign(f.ctx, adv, f.Campaign.ID); core.ErrorCode(err) != core.NotFound {
			t.Fatalf("read out of scope: %v", err)
		}
		if list, err := f.Surveys.Campaigns(f.ctx, f.Admin); err != nil || len(list) != 1 || list[0].Code != "after-calls" {
			t.Fatalf("%v %v", list, err)
		}
	})
}
