package api

import (
	"time"

	"github.com/rapport-crm/rapport/internal/surveys"
)

// surveyTextsJSON are a campaign's words in one language.
type surveyTextsJSON struct {
	Subject  string `json:"subject" maxLength:"200" doc:"The email's subject; required for an email campaign"`
	Intro    string `json:"intro" maxLength:"2000" doc:"The invitation's and the answer page's opening lines"`
	Question string `json:"question" maxLength:"500" doc:"The score's question; required"`
	Thanks   string `json:"thanks" maxLength:"1000" doc:"Shown after the answer"`
	SMS      string `json:"sms" maxLength:"300" doc:"The SMS text, the link appended; required for an SMS campaign"`
}

// surveyCampaignBody is a campaign as an administrator sets it.
type surveyCampaignBody struct {
	EstablishmentCode string                     `json:"establishment_code" maxLength:"100" doc:"The establishment's code; cannot change"`
	Code              string                     `json:"code" maxLength:"100" doc:"Unique in the establishment: 1 to 40 lower-case letters, digits, - or _"`
	Name              string                     `json:"name" maxLength:"200"`
	Active            bool                       `json:"active"`
	Triggers          []string                   `json:"triggers" maxItems:"3" doc:"Of call (an answered inbound call with an agent), meeting (face to face or video), request_closed"`
	DelayMinutes      int                        `json:"delay_minutes" doc:"After the exchange, 0 to 10080 (a week)"`
	Channel           string                     `json:"channel" doc:"email or sms"`
	Scale             string                     `json:"scale" doc:"1-5 or 0-10 (NPS)"`
	AskComment        bool                       `json:"ask_comment"`
	AskIdentify       bool                       `json:"ask_identify" doc:"Ask \"may we tell your advisor it was you?\"; otherwise every answer is anonymous"`
	LinkDays          int                        `json:"link_days,omitempty" doc:"How long the answer link is valid, 1 to 90 days; 30 by default"`
	Texts             map[string]surveyTextsJSON `json:"texts" doc:"By language: fr and en"`
}

// input is the body as the store takes it.
func (b surveyCampaignBody) input() surveys.CampaignInput {
	texts := make(map[string]surveys.Texts, len(b.Texts))
	for lang, t := range b.Texts {
		texts[lang] = surveys.Texts(t)
	}
	return surveys.CampaignInput{EstablishmentCode: b.EstablishmentCode, Code: b.Code, Name: b.Name, Active: b.Active,
		Triggers: b.Triggers, DelayMinutes: b.DelayMinutes, Channel: b.Channel, Scale: b.Scale, AskComment: b.AskComment,
		AskIdentify: b.AskIdentify, LinkDays: b.LinkDays, Texts: texts}
}

// surveyCampaignJSON is a campaign as the API shows it.
type surveyCampaignJSON struct {
	ID                string                     `json:"id"`
	EstablishmentCode string                     `json:"establishment_code"`
	Code              string                     `json:"code"`
	Name              string                     `json:"name"`
	Active            bool                       `json:"active"`
	Triggers          []string                   `json:"triggers"`
	DelayMinutes      int                        `json:"delay_minutes"`
	Channel           string                     `json:"channel" enum:"email,sms"`
	Scale             string                     `json:"scale" enum:"1-5,0-10"`
	AskComment        bool                       `json:"ask_comment"`
	AskIdentify       bool                       `json:"ask_identify"`
	LinkDays          int                        `json:"link_days"`
	Texts             map[string]surveyTextsJSON `json:"texts"`
	CreatedAt         time.Time                  `json:"created_at"`
	UpdatedAt         time.Time                  `json:"updated_at"`
}

// campaignJSON shows c, its establishment named by code.
func campaignJSON(c surveys.Campaign, estCode string) surveyCampaignJSON {
	texts := make(map[string]surveyTextsJSON, len(c.Texts))
	for lang, t := range c.Texts {
		texts[lang] = surveyTextsJSON(t)
	}
	return surveyCampaignJSON{ID: c.ID, EstablishmentCode: estCode, Code: c.Code, Name: c.Name, Active: c.Active,
		Triggers: c.Triggers, DelayMinutes: c.DelayMinutes, Channel: c.Channel, Scale: c.Scale, AskComment: c.AskComment,
		AskIdentify: c.AskIdentify, LinkDays: c.LinkDays, Texts: texts, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// surveyJSON is a party's survey; an anonymous answer never shows.
type surveyJSON struct {
	ID            string            `json:"id"`
	CampaignID    string            `json:"campaign_id"`
	CampaignName  string            `json:"campaign_name"`
	PartyID       string            `json:"party_id"`
	InteractionID *string           `json:"interaction_id" doc:"The exchange, when it is an interaction"`
	RequestID     *string           `json:"request_id" doc:"The exchange, when it is a desk request"`
	AgentName     string            `json:"agent_name"`
	Channel       string            `json:"channel" enum:"email,sms"`
	Status        string            `json:"status" enum:"scheduled,sent,answered,skipped,expired" doc:"sent also when answered anonymously: the answer is never shown"`
	Reason        *string           `json:"reason" doc:"Why it was skipped: recent_survey (one in the last three months), no_consent, no_address, erased, no_gateway"`
	DueAt         time.Time         `json:"due_at"`
	SentAt        *time.Time        `json:"sent_at"`
	Answer        *surveyAnswerJSON `json:"answer" doc:"Only an answer the customer chose to sign"`
}

// surveyAnswerJSON is an identified answer.
type surveyAnswerJSON struct {
	Scale      string    `json:"scale" enum:"1-5,0-10"`
	Score      int       `json:"score"`
	Mood       string    `json:"mood" enum:"happy,neutral,unhappy"`
	Comment    string    `json:"comment"`
	AnsweredAt time.Time `json:"answered_at"`
}

// toSurveyJSON shows v.
func toSurveyJSON(v surveys.Survey) surveyJSON {
	out := surveyJSON{ID: v.ID, CampaignID: v.CampaignID, CampaignName: v.CampaignName, PartyID: v.PartyID,
		InteractionID: v.InteractionID, RequestID: v.RequestID, AgentName: v.AgentName, Channel: v.Channel,
		Status: v.Status, Reason: v.Reason, DueAt: v.DueAt, SentAt: v.SentAt}
	if a := v.Answer; a != nil {
		out.Answer = &surveyAnswerJSON{Scale: a.Scale, Score: a.Score, Mood: surveys.Mood(a.Scale, a.Score),
			Comment: a.Comment, AnsweredAt: a.AnsweredAt}
	}
	return out
}
