package surveys

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Languages are the languages a campaign's texts are written in.
var Languages = []string{"fr", "en"}

// The length limits of a campaign's texts, in characters.
const (
	maxSubject  = 200
	maxIntro    = 2_000
	maxQuestion = 500
	maxThanks   = 1_000
	maxSMS      = 300
	maxDelay    = 10_080 // a week, in minutes
	maxLinkDays = 90
)

var campaignCodePattern = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)

const campaignSelect = `SELECT c.id, c.establishment_id, c.code, c.name, c.active, c.triggers, c.delay_minutes, c.channel,
	c.scale, c.ask_comment, c.ask_identify, c.link_days, c.texts, c.created_at, c.updated_at FROM survey_campaigns c`

// scanCampaign reads one row of campaignSelect.
func scanCampaign(row interface{ Scan(...any) error }) (Campaign, error) {
	var c Campaign
	var triggers, texts string
	var created, updated int64
	if err := row.Scan(&c.ID, &c.EstablishmentID, &c.Code, &c.Name, &c.Active, &triggers, &c.DelayMinutes, &c.Channel,
		&c.Scale, &c.AskComment, &c.AskIdentify, &c.LinkDays, &texts, &created, &updated); err != nil {
		return Campaign{}, err
	}
	c.Triggers = strings.Fields(triggers)
	if err := json.Unmarshal([]byte(texts), &c.Texts); err != nil {
		return Campaign{}, fmt.Errorf("campaign %s texts: %w", c.ID, err)
	}
	if c.Texts == nil {
		c.Texts = map[string]Texts{}
	}
	c.CreatedAt, c.UpdatedAt = core.FromMillis(created), core.FromMillis(updated)
	return c, nil
}

// campaignsWhere reads the campaigns matching cond.
func campaignsWhere(ctx context.Context, q db.Querier, cond string, args ...any) ([]Campaign, error) {
	rows, err := q.Query(ctx, campaignSelect+" "+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("read campaigns: %w", err)
	}
	defer rows.Close()
	out := []Campaign{}
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// campaignByID reads one campaign, NotFound when absent.
func campaignByID(ctx context.Context, q db.Querier, id string) (Campaign, error) {
	c, err := scanCampaign(q.QueryRow(ctx, campaignSelect+" WHERE c.id = ?", id))
	if db.IsNoRows(err) {
		return Campaign{}, core.Errorf(core.NotFound, "campaign %s not found", id)
	}
	return c, err
}

// Campaigns lists the campaigns of the establishments the actor
// administers (survey.admin), by establishment then name.
func (s *Store) Campaigns(ctx context.Context, actor *core.Actor) ([]Campaign, error) {
	if err := actor.Require(core.PermSurveyAdmin); err != nil {
		return nil, err
	}
	cond, args := scopeCond("c.establishment_id", actor.Scope)
	return campaignsWhere(ctx, s.db, "JOIN units u ON u.id = c.establishment_id WHERE 1 = 1"+cond+
		" ORDER BY u.name, c.name, c.id", args...)
}

// Campaign returns one campaign of an establishment the actor administers.
func (s *Store) Campaign(ctx context.Context, actor *core.Actor, id string) (Campaign, error) {
	if err := actor.Require(core.PermSurveyAdmin); err != nil {
		return Campaign{}, err
	}
	if !core.ValidID(id) {
		return Campaign{}, core.Errorf(core.NotFound, "campaign %s not found", id)
	}
	c, err := campaignByID(ctx, s.db, id)
	if err != nil {
		return Campaign{}, err
	}
	if !actor.Scope.Contains(c.EstablishmentID) {
		return Campaign{}, core.Errorf(core.NotFound, "campaign %s not found", id)
	}
	return c, nil
}

// CreateCampaign validates and stores a campaign (survey.admin, audited).
func (s *Store) CreateCampaign(ctx context.Context, actor *core.Actor, in CampaignInput) (Campaign, error) {
	if err := actor.Require(core.PermSurveyAdmin); err != nil {
		return Campaign{}, err
	}
	if err := in.check(); err != nil {
		return Campaign{}, err
	}
	est, err := s.administered(ctx, actor, in.EstablishmentCode)
	if err != nil {
		return Campaign{}, err
	}
	id, now := core.NewID(), core.Millis(s.clock.Now())
	texts, _ := json.Marshal(in.Texts)
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO survey_campaigns (id, establishment_id, code, name, active, triggers,
			delay_minutes, channel, scale, ask_comment, ask_identify, link_days, texts, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, est.ID, in.Code, in.Name, in.Active,
			strings.Join(in.Triggers, " "), in.DelayMinutes, in.Channel, in.Scale, in.AskComment, in.AskIdentify,
			in.LinkDays, string(texts), now, now); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "survey_campaign.create", "survey_campaign", id, "", in.auditDetail())
	})
	if db.IsUniqueViolation(err) {
		return Campaign{}, core.Fields{"code": core.Because("taken")}.Err()
	}
	if err != nil {
		return Campaign{}, fmt.Errorf("create campaign: %w", err)
	}
	return campaignByID(ctx, s.db, id)
}

// UpdateCampaign replaces a campaign's settings (survey.admin, audited).
// Its establishment cannot change.
func (s *Store) UpdateCampaign(ctx context.Context, actor *core.Actor, id string, in CampaignInput) (Campaign, error) {
	old, err := s.Campaign(ctx, actor, id)
	if err != nil {
		return Campaign{}, err
	}
	if err := in.check(); err != nil {
		return Campaign{}, err
	}
	est, err := s.administered(ctx, actor, in.EstablishmentCode)
	if err != nil {
		return Campaign{}, err
	}
	if est.ID != old.EstablishmentID {
		return Campaign{}, core.Fields{"establishment_code": core.Because("immutable")}.Err()
	}
	texts, _ := json.Marshal(in.Texts)
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE survey_campaigns SET code = ?, name = ?, active = ?, triggers = ?,
			delay_minutes = ?, channel = ?, scale = ?, ask_comment = ?, ask_identify = ?, link_days = ?, texts = ?,
			updated_at = ? WHERE id = ?`, in.Code, in.Name, in.Active, strings.Join(in.Triggers, " "), in.DelayMinutes,
			in.Channel, in.Scale, in.AskComment, in.AskIdentify, in.LinkDays, string(texts),
			core.Millis(s.clock.Now()), id); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "survey_campaign.update", "survey_campaign", id, "", in.auditDetail())
	})
	if db.IsUniqueViolation(err) {
		return Campaign{}, core.Fields{"code": core.Because("taken")}.Err()
	}
	if err != nil {
		return Campaign{}, fmt.Errorf("update campaign: %w", err)
	}
	return campaignByID(ctx, s.db, id)
}

// auditDetail is what the audit log keeps of a campaign's settings.
func (in CampaignInput) auditDetail() map[string]any {
	return map[string]any{"code": in.Code, "name": in.Name, "active": in.Active, "triggers": in.Triggers,
		"delay_minutes": in.DelayMinutes, "channel": in.Channel, "scale": in.Scale, "link_days": in.LinkDays}
}

// check normalises and validates a campaign's settings.
func (in *CampaignInput) check() error {
	f := core.Fields{}
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	if core.CheckText(f, "code", in.Code, core.MaxCode) && !campaignCodePattern.MatchString(in.Code) {
		f.Add("code", core.Because("campaign_code"))
	}
	if core.CheckText(f, "name", in.Name, core.MaxName) && in.Name == "" {
		f.Add("name", core.Required())
	}
	if len(in.Triggers) == 0 {
		f.Add("triggers", core.Required())
	}
	if len(in.Triggers) > len(Triggers) {
		f.Add("triggers", core.TooMany(len(Triggers)))
	}
	seen := map[string]bool{}
	var triggers []string
	for i, t := range in.Triggers {
		if !slices.Contains(Triggers, t) {
			f.Add(fmt.Sprintf("triggers[%d]", i), core.OneOf(Triggers...))
		} else if !seen[t] {
			seen[t] = true
			triggers = append(triggers, t)
		}
	}
	in.Triggers = triggers
	core.CheckRange(f, "delay_minutes", int64(in.DelayMinutes), 0, maxDelay)
	if in.LinkDays == 0 {
		in.LinkDays = DefaultLinkDays
	}
	core.CheckRange(f, "link_days", int64(in.LinkDays), 1, maxLinkDays)
	if in.Channel != ChannelEmail && in.Channel != ChannelSMS {
		f.Add("channel", core.OneOf(ChannelEmail, ChannelSMS))
	}
	if in.Scale != Scale5 && in.Scale != Scale10 {
		f.Add("scale", core.OneOf(Scale5, Scale10))
	}
	in.checkTexts(f)
	return f.Err()
}

// checkTexts validates the texts of each language: the question is
// required, and the subject (email) or the SMS text (SMS) as the channel
// needs.
func (in *CampaignInput) checkTexts(f core.Fields) {
	if len(in.Texts) == 0 {
		f.Add("texts", core.Required())
		return
	}
	for lang, t := range in.Texts {
		if !slices.Contains(Languages, lang) {
			f.Add("texts", core.OneOf(Languages...))
			continue
		}
		p := "texts." + lang + "."
		for _, c := range []struct {
			field string
			value *string
			max   int
		}{{"subject", &t.Subject, maxSubject}, {"intro", &t.Intro, maxIntro}, {"question", &t.Question, maxQuestion},
			{"thanks", &t.Thanks, maxThanks}, {"sms", &t.SMS, maxSMS}} {
			*c.value = strings.TrimSpace(*c.value)
			core.CheckText(f, p+c.field, *c.value, c.max)
		}
		if t.Question == "" {
			f.Add(p+"question", core.Required())
		}
		if in.Channel == ChannelEmail && t.Subject == "" {
			f.Add(p+"subject", core.Required())
		}
		if in.Channel == ChannelSMS && t.SMS == "" {
			f.Add(p+"sms", core.Required())
		}
		in.Texts[lang] = t
	}
}

// activeCampaign finds the first active campaign (by code) of est that
// follows trigger.
func activeCampaign(ctx context.Context, q db.Querier, est, trigger string) (Campaign, bool, error) {
	cs, err := campaignsWhere(ctx, q, "WHERE c.establishment_id = ? AND c.active = ? ORDER BY c.code", est, true)
	if err != nil {
		return Campaign{}, false, err
	}
	for _, c := range cs {
		if slices.Contains(c.Triggers, trigger) {
			return c, true, nil
		}
	}
	return Campaign{}, false, nil
}
