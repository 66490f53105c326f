package surveys

import "time"

// The exchanges a campaign may follow.
const (
	TriggerCall          = "call"           // an answered inbound call that has a meeting report
	TriggerMeeting       = "meeting"        // a face-to-face or video meeting of an agent
	TriggerRequestClosed = "request_closed" // a desk request closed
)

// Triggers lists them in display order.
var Triggers = []string{TriggerCall, TriggerMeeting, TriggerRequestClosed}

// The channels a survey invitation is sent on.
const (
	ChannelEmail = "email" // through the outbox's SMTP sender
	ChannelSMS   = "sms"   // through the establishment's SMS gateway
)

// The scales of a survey's score.
const (
	Scale5  = "1-5"  // 1 (very unhappy) to 5 (very happy)
	Scale10 = "0-10" // 0 to 10, "would you recommend us"; NPS is computed on it
)

// The states of a survey.
const (
	StatusScheduled = "scheduled" // waiting for its send time
	StatusSent      = "sent"      // the invitation left; not answered, or answered anonymously (see Survey)
	StatusAnswered  = "answered"  // answered and identified: only shown when the customer chose it
	StatusSkipped   = "skipped"   // not sent, Reason says why
	StatusExpired   = "expired"   // the link expired unanswered
)

// The reasons a survey is skipped.
const (
	SkipRecentSurvey = "recent_survey" // the customer was sent one in the last three months
	SkipNoConsent    = "no_consent"    // no consent on the campaign's channel
	SkipNoAddress    = "no_address"    // no email address or mobile number to send to
	SkipErased       = "erased"        // a prospect who asked for erasure
	SkipNoGateway    = "no_gateway"    // an SMS campaign without a gateway configured
)

// Window is the three-month rule: a customer sent a survey less than this
// many months ago (any campaign of the establishment) is not sent another.
const WindowMonths = 3

// DefaultLinkDays is how long an answer link is valid by default.
const DefaultLinkDays = 30

// MinAnswers is the floor under which no figure computed from answers is
// shown, so a single answer cannot be traced to its customer.
const MinAnswers = 5

// Texts are a campaign's words in one language.
type Texts struct {
	Subject  string `json:"subject"`  // the email's subject
	Intro    string `json:"intro"`    // the invitation's and the answer page's opening lines
	Question string `json:"question"` // the score's question
	Thanks   string `json:"thanks"`   // shown after the answer
	SMS      string `json:"sms"`      // the SMS text; the link is appended
}

// Campaign is a kind of survey an establishment sends after exchanges.
type Campaign struct {
	ID              string           `json:"id"`
	EstablishmentID string           `json:"establishment_id"`
	Code            string           `json:"code"` // unique in the establishment
	Name            string           `json:"name"`
	Active          bool             `json:"active"`
	Triggers        []string         `json:"triggers"`      // of Triggers, at least one
	DelayMinutes    int              `json:"delay_minutes"` // after the exchange; 0 to 10,080 (a week)
	Channel         string           `json:"channel"`       // ChannelEmail or ChannelSMS
	Scale           string           `json:"scale"`         // Scale5 or Scale10
	AskComment      bool             `json:"ask_comment"`
	AskIdentify     bool             `json:"ask_identify"` // "may we tell your advisor it was you?"
	LinkDays        int              `json:"link_days"`    // 1 to 90, DefaultLinkDays by default
	Texts           map[string]Texts `json:"texts"`        // by language: "fr" and "en"
	CreatedAt       time.Time        `json:"created_at"`
	UpdatedAt       time.Time        `json:"updated_at"`
}

// CampaignInput is what an administrator sets on a campaign.
type CampaignInput struct {
	EstablishmentCode string           `json:"establishment_code"`
	Code              string           `json:"code"`
	Name              string           `json:"name"`
	Active            bool             `json:"active"`
	Triggers          []string         `json:"triggers"`
	DelayMinutes      int              `json:"delay_minutes"`
	Channel           string           `json:"channel"`
	Scale             string           `json:"scale"`
	AskComment        bool             `json:"ask_comment"`
	AskIdentify       bool             `json:"ask_identify"`
	LinkDays          int              `json:"link_days"`
	Texts             map[string]Texts `json:"texts"`
}

// Survey is one survey of a party after one exchange, as the party's
// readers see it. An anonymous answer is never shown here: its survey
// reads as sent, without score or comment.
type Survey struct {
	ID            string     `json:"id"`
	CampaignID    string     `json:"campaign_id"`
	CampaignName  string     `json:"campaign_name"`
	PartyID       string     `json:"party_id"`
	InteractionID *string    `json:"interaction_id"` // the exchange, when it is an interaction
	RequestID     *string    `json:"request_id"`     // the exchange, when it is a desk request
	AgentID       *string    `json:"agent_id"`       // the agent of the exchange
	AgentName     string     `json:"agent_name"`
	Channel       string     `json:"channel"`
	Status        string     `json:"status"`
	Reason        *string    `json:"reason"`  // the skip's reason
	DueAt         time.Time  `json:"due_at"`  // when it is (or was to be) sent
	SentAt        *time.Time `json:"sent_at"` // nil until sent
	Answer        *Answer    `json:"answer"`  // only an identified answer
}

// Answer is a customer's answer to a survey.
type Answer struct {
	Scale      string    `json:"scale"`
	Score      int       `json:"score"`
	Comment    string    `json:"comment"`
	Identified bool      `json:"identified"`
	AnsweredAt time.Time `json:"answered_at"`
}

// Mood is the smiley of a score: happy, neutral or unhappy. On 0–10 it
// follows NPS (9–10 promoters, 7–8 passives); on 1–5, 4–5 and 3.
func Mood(scale string, score int) string {
	if scale == Scale10 {
		switch {
		case score >= 9:
			return "happy"
		case score >= 7:
			return "neutral"
		}
		return "unhappy"
	}
	switch {
	case score >= 4:
		return "happy"
	case score == 3:
		return "neutral"
	}
	return "unhappy"
}

// Request is an integration's ask for a survey after an exchange it pushed.
type Request struct {
	InteractionID string `json:"interaction_id"`
	Campaign      string `json:"campaign"` // the campaign's code
}

// Scheduled is what asking for a survey gives: the survey, scheduled or
// skipped with its reason. Asking again for the same exchange gives the
// same survey (Created false).
type Scheduled struct {
	ID      string  `json:"id"`
	Status  string  `json:"status"` // StatusScheduled or StatusSkipped (or a later state on a replay)
	Reason  *string `json:"reason"`
	Created bool    `json:"-"`
}

// Invitation is what the public answer page shows for a valid link.
type Invitation struct {
	SurveyID    string
	Language    string // the party's language, else the establishment's default
	Texts       Texts
	Scale       string
	AskComment  bool
	AskIdentify bool
	AgentName   string // the first name of the agent of the exchange, for "your advisor Claire"
	ExpiresAt   time.Time
}

// AnswerInput is what a customer sends from the answer page.
type AnswerInput struct {
	Score    int
	Comment  string
	Identify bool
}

// The stats groupings.
const (
	GroupUnit     = "unit"
	GroupAgent    = "agent"
	GroupCampaign = "campaign"
)

// GroupBys lists them in display order.
var GroupBys = []string{GroupUnit, GroupAgent, GroupCampaign}

// StatsCriteria chooses the surveys counted: due in [From, To), of the
// actor's scope, optionally of one campaign, grouped by GroupBy.
type StatsCriteria struct {
	From, To     time.Time
	GroupBy      string
	CampaignCode string
	UnitCode     string // this unit and those under it
}

// StatsRow is one group's figures. The figures computed from answers are
// nil while the group has fewer than MinAnswers answers.
type StatsRow struct {
	Key           string         `json:"key"`   // the unit's code, the agent's login or the campaign's code
	Label         string         `json:"label"` // its name
	Sent          int            `json:"sent"`
	Skipped       int            `json:"skipped"`        // every reason
	SkippedRecent int            `json:"skipped_recent"` // by the three-month rule
	Answered      int            `json:"answered"`
	ResponseRate  *float64       `json:"response_rate"` // answered / sent, 0..1
	AverageScore  *float64       `json:"average_score"`
	Distribution  map[string]int `json:"distribution"` // score → answers; nil under the floor
	NPS           *float64       `json:"nps"`          // -100..100, 0–10 scale only
	Scale         string         `json:"scale"`        // "" when the group mixes scales (no average)
}

// Stats is the results page and the API's answer.
type Stats struct {
	From    time.Time  `json:"from"`
	To      time.Time  `json:"to"`
	GroupBy string     `json:"group_by"`
	Rows    []StatsRow `json:"rows"`
	Total   StatsRow   `json:"total"`
}

// Summary is the dashboard widget's figures over the last Window of the
// actor's scope; answer figures nil under the floor.
type Summary struct {
	From         time.Time `json:"from"`
	To           time.Time `json:"to"`
	Sent         int       `json:"sent"`
	Answered     int       `json:"answered"`
	ResponseRate *float64  `json:"response_rate"`
	AverageScore *float64  `json:"average_score"` // on the 1–5 campaigns
	NPS          *float64  `json:"nps"`           // on the 0–10 campaigns
}
