package history

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/internal/core"
)

// Item is one event an integration pushes, as the ingestion API reads it.
type Item struct {
	Source          string       `json:"source" maxLength:"100" example:"telephony"`
	ExternalID      string       `json:"external_id" maxLength:"200" example:"call-2026-11-20-0042"`
	Channel         string       `json:"channel" example:"phone"`
	Direction       string       `json:"direction" example:"inbound"`
	OccurredAt      string       `json:"occurred_at" example:"2026-11-20T10:15:00+01:00"` // RFC 3339
	DurationSeconds *int         `json:"duration_seconds,omitempty" example:"240"`
	Outcome         string       `json:"outcome,omitempty" maxLength:"100"` // calls: answered, unanswered, voicemail
	Agent           string       `json:"agent,omitempty" maxLength:"100"`   // login
	PartyID         string       `json:"party_id,omitempty" maxLength:"100"`
	ClientNumber    string       `json:"client_number,omitempty" maxLength:"100"`
	From            string       `json:"from,omitempty" maxLength:"320" example:"+33612345678"`
	To              []string     `json:"to,omitempty" maxItems:"200"`
	Cc              []string     `json:"cc,omitempty" maxItems:"200"`
	Subject         string       `json:"subject,omitempty" maxLength:"1000" example:"Question sur un virement"`
	Body            string       `json:"body,omitempty" maxLength:"1000000"`
	Category        string       `json:"category,omitempty" maxLength:"100"`    // notifications
	LetterType      string       `json:"letter_type,omitempty" maxLength:"100"` // letters
	Attachments     []Attachment `json:"attachments,omitempty"`
}

// The statuses of an ingested item.
const (
	Stored    = "stored"
	Excluded  = "excluded"
	Duplicate = "duplicate"
	Rejected  = "rejected"
)

// Result is what became of one item, in the order the items came.
type Result struct {
	ExternalID    string      `json:"external_id"`
	Status        string      `json:"status" enum:"stored,excluded,duplicate,rejected"`
	Reason        string      `json:"reason,omitempty"`
	Reasons       core.Fields `json:"reasons,omitempty" doc:"A rejected item's fields at fault, each with a stable reason code and its parameters."`
	InteractionID string      `json:"interaction_id,omitempty"`
	PartyIDs      []string    `json:"party_ids"`
}

// Sources are the built-in integrations that push interactions.
var Sources = []string{"telephony", "agent_mailbox", "shared_mailbox", "crm_message", "notification",
	"letter", "sms", "chat", "web_form", "desk", SourceContact, SourceCase, SourceSurvey}

// Channels are the ways an interaction happens.
var Channels = []string{"phone", "email", "sms", "letter", "face_to_face", "video", "chat", "web_form", "notification", ChannelCase, ChannelSurvey}

// Outcomes are the results of a call.
var Outcomes = []string{"answered", "unanswered", "voicemail"}

// checked is a valid item with its time parsed.
type checked struct {
	Item
	at       time.Time
	duration time.Duration
	files    []file // the attachments, decoded
}

// check validates an item's fields against the valid sources (built-in
// and configured); the error names every bad field.
func check(it Item, sources []string) (checked, error) {
	it.Source, it.ExternalID = strings.TrimSpace(it.Source), strings.TrimSpace(it.ExternalID)
	it.Channel, it.Direction = strings.TrimSpace(it.Channel), strings.TrimSpace(it.Direction)
	it.Channel, it.Direction = fromMailClient(it.Source, it.Channel, it.Direction)
	f := core.Fields{}
	if !slices.Contains(sources, it.Source) {
		f.Add("source", core.OneOf(sources...))
	}
	if it.ExternalID == "" || utf8.RuneCountInString(it.ExternalID) > core.MaxExternalID {
		f.Add("external_id", core.RequiredUpTo(core.MaxExternalID))
	}
	checkItemTexts(it, f)
	if !slices.Contains(Channels, it.Channel) {
		f.Add("channel", core.OneOf(Channels...))
	}
	if it.Direction != DirectionInbound && it.Direction != DirectionOutbound {
		f.Add("direction", core.OneOf(DirectionInbound, DirectionOutbound))
	}
	at, err := time.Parse(time.RFC3339, strings.TrimSpace(it.OccurredAt))
	if err != nil {
		f.Add("occurred_at", core.Because("datetime"))
	}
	var d time.Duration
	if it.DurationSeconds != nil {
		if core.CheckRange(f, "duration_seconds", int64(*it.DurationSeconds), 0, core.MaxSeconds) {
			d = time.Duration(*it.DurationSeconds) * time.Second
		}
	}
	if it.Outcome != "" && (it.Channel != "phone" || !slices.Contains(Outcomes, it.Outcome)) {
		f.Add("outcome", core.Because("call_outcome", "values", Outcomes))
	}
	files := checkAttachments(it.Attachments, f)
	if err := f.Err(); err != nil {
		return checked{}, err
	}
	return checked{Item: it, at: at, duration: d, files: files}, nil
}

// checkItemTexts refuses the texts of an item that could not be stored:
// not UTF-8, a NUL byte, over their field's limit.
func checkItemTexts(it Item, f core.Fields) {
	core.CheckText(f, "source", it.Source, core.MaxCode)
	core.CheckText(f, "external_id", it.ExternalID, core.MaxExternalID)
	core.CheckText(f, "outcome", it.Outcome, core.MaxCode)
	core.CheckText(f, "agent", it.Agent, core.MaxCode)
	core.CheckText(f, "party_id", it.PartyID, core.MaxCode)
	core.CheckText(f, "client_number", it.ClientNumber, core.MaxCode)
	core.CheckText(f, "from", it.From, core.MaxCoordinate)
	for name, list := range map[string][]string{"to": it.To, "cc": it.Cc} {
		if len(list) > core.MaxRecipients {
			f.Add(name, core.TooMany(core.MaxRecipients))
		}
		core.CheckTexts(f, name, list, core.MaxCoordinate)
	}
	core.CheckText(f, "subject", it.Subject, core.MaxSubject)
	core.CheckText(f, "body", it.Body, core.MaxBody)
	core.CheckText(f, "category", it.Category, core.MaxCode)
	core.CheckText(f, "letter_type", it.LetterType, core.MaxCode)
	for i, a := range it.Attachments {
		core.CheckText(f, fmt.Sprintf("attachments[%d].name", i), a.Name, core.MaxName)
		core.CheckText(f, fmt.Sprintf("attachments[%d].content_type", i), a.ContentType, core.MaxCode)
	}
}

// exclusion applies the restitution rules to a valid item.
func (r Rules) exclusion(c checked) Exclusion {
	switch c.Channel {
	case "phone":
		return r.Call(c.Direction, c.duration)
	case "email":
		return r.Subject(c.Subject)
	case "notification":
		return r.Notification(c.Category)
	case "letter":
		_, ex := r.Letter(c.LetterType)
		return ex
	}
	return Shown
}
