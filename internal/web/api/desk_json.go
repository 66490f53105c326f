package api

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/content"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
)

// deskAgentJSON is an agent as a request shows them; null where nobody is meant.
type deskAgentJSON struct {
	_        struct{} `nullable:"true"`
	Login    string   `json:"login"`
	Name     string   `json:"name"`
	Initials string   `json:"initials"`
}

func toDeskAgent(a *desk.Agent) *deskAgentJSON {
	if a == nil {
		return nil
	}
	return &deskAgentJSON{Login: a.Login, Name: a.Name, Initials: a.Initials}
}

// customerJSON is who wrote the request, as they gave themselves.
type customerJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// breachedJSON says which targets of a request were missed.
type breachedJSON struct {
	FirstResponse bool `json:"first_response" doc:"The first reply is late, or came late"`
	Resolution    bool `json:"resolution" doc:"Still open past its resolution time, or closed after it"`
}

// requestJSON is a customer's request as the API shows it.
type requestJSON struct {
	ID               string         `json:"id"`
	Reference        string         `json:"reference" doc:"R-000123; also the [#R-000123] tag of its mail's subjects"`
	Channel          string         `json:"channel" enum:"email,web_form,phone,chat"`
	Status           string         `json:"status" enum:"new,open,waiting,closed"`
	Priority         string         `json:"priority" enum:"low,medium,high"`
	Reason           string         `json:"reason" doc:"A code of the request reasons catalogue, \"\" until qualified"`
	Subject          string         `json:"subject"`
	Unread           bool           `json:"unread" doc:"Inbound messages nobody has read yet"`
	UnreadCount      int            `json:"unread_count"`
	Assignee         *deskAgentJSON `json:"assignee"`
	PartyID          *string        `json:"party_id" doc:"The linked party; null when none"`
	Customer         customerJSON   `json:"customer"`
	CreatedAt        time.Time      `json:"created_at"`
	LastMessageAt    time.Time      `json:"last_message_at"`
	FirstResponseDue *time.Time     `json:"first_response_due" doc:"In the unit's business hours; null without hours"`
	ResolutionDue    *time.Time     `json:"resolution_due"`
	Breached         breachedJSON   `json:"breached"`
	Flags            []string       `json:"flags"`
}

func toRequestJSON(r desk.Request, now time.Time) requestJSON {
	out := requestJSON{ID: r.ID, Reference: r.Reference, Channel: r.Channel, Status: r.Status, Priority: r.Priority,
		Reason: r.Reason, Subject: r.Subject, Unread: r.Unread > 0, UnreadCount: r.Unread, Assignee: toDeskAgent(r.Assignee),
		Customer:  customerJSON{Name: r.CustomerName, Email: r.CustomerEmail, Phone: r.CustomerPhone},
		CreatedAt: r.CreatedAt, LastMessageAt: r.LastMessageAt, FirstResponseDue: r.FirstResponseDue,
		ResolutionDue: r.ResolutionDue, Flags: nonNil(r.Flags)}
	if r.PartyID != "" {
		out.PartyID = &r.PartyID
	}
	out.Breached.FirstResponse, out.Breached.Resolution = r.Breached(now)
	return out
}

// deskFileJSON is a file of a message, downloaded from its url.
type deskFileJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Inline      bool   `json:"inline" doc:"An image the HTML body shows (cid:)"`
	Size        int64  `json:"size"`
	URL         string `json:"url" doc:"/api/v1/requests/files/{id}"`
}

// deskMessageJSON is one message of a request's thread: inbound or
// outbound mail, or an internal note.
type deskMessageJSON struct {
	ID             string         `json:"id"`
	Kind           string         `json:"kind" enum:"inbound,outbound,note"`
	SolicitationID *string        `json:"solicitation_id" doc:"The solicitation thread it belongs to; null for the customer's thread and notes"`
	FromName       string         `json:"from_name"`
	FromEmail      string         `json:"from_email"`
	To             []string       `json:"to"`
	Cc             []string       `json:"cc"`
	Subject        string         `json:"subject"`
	Text           string         `json:"text"`
	HTML           string         `json:"html" doc:"Sanitized HTML"`
	Agent          *deskAgentJSON `json:"agent" doc:"Who wrote it (outbound, notes) or took the call"`
	Status         *string        `json:"status" doc:"An outbound message's delivery: queued, sending, sent, failed or bounced; null for others"`
	StatusDetail   string         `json:"status_detail" doc:"Why it failed, as the server said"`
	Flags          []string       `json:"flags"`
	Files          []deskFileJSON `json:"files"`
	CreatedAt      time.Time      `json:"created_at"`
	SentAt         *time.Time     `json:"sent_at"`
}

func toMessageJSON(m desk.Message) deskMessageJSON {
	out := deskMessageJSON{ID: m.ID, Kind: m.Kind, FromName: m.FromName, FromEmail: m.FromEmail, To: nonNil(m.To),
		Cc: nonNil(m.Cc), Subject: m.Subject, Text: m.Text, HTML: content.SafeHTML(m.HTML), Agent: toDeskAgent(m.Agent),
		StatusDetail: m.StatusDetail, Flags: nonNil(m.Flags), Files: make([]deskFileJSON, 0, len(m.Files)),
		CreatedAt: m.CreatedAt, SentAt: m.SentAt}
	if m.SolicitationID != "" {
		out.SolicitationID = &m.SolicitationID
	}
	if m.Status != "" {
		out.Status = &m.Status
	}
	for _, f := range m.Files {
		out.Files = append(out.Files, deskFileJSON{ID: f.ID, Name: f.Name, ContentType: f.ContentType, Inline: f.Inline,
			Size: f.Size, URL: "/api/v1/requests/files/" + f.ID})
	}
	return out
}

// deskEventJSON is a change of a request other than a message.
type deskEventJSON struct {
	ID    string         `json:"id"`
	At    time.Time      `json:"at"`
	Agent *deskAgentJSON `json:"agent"`
	Kind  string         `json:"kind" doc:"created, status, assign, subject, reason, priority, party, reopened, solicited, followed_up"`
	Old   string         `json:"old"`
	New   string         `json:"new"`
}

// solicitationJSON is a thread with an outside person or service.
type solicitationJSON struct {
	ID        string         `json:"id"`
	Recipient string         `json:"recipient"`
	Subject   string         `json:"subject"`
	CreatedBy *deskAgentJSON `json:"created_by"`
	CreatedAt time.Time      `json:"created_at"`
}

// RequestFields is requestJSON under an exported name: huma describes the
// fields of an embedded struct only when the embedded field is exported.
type RequestFields = requestJSON

// requestDetailJSON is a request with its whole thread.
type requestDetailJSON struct {
	RequestFields
	Messages      []deskMessageJSON  `json:"messages" doc:"Oldest first, notes and solicitation mail included"`
	Events        []deskEventJSON    `json:"events" doc:"Oldest first"`
	Solicitations []solicitationJSON `json:"solicitations"`
}

func toDetailJSON(r desk.Request, t desk.Thread, now time.Time) requestDetailJSON {
	out := requestDetailJSON{RequestFields: toRequestJSON(r, now), Messages: make([]deskMessageJSON, 0, len(t.Messages)),
		Events: make([]deskEventJSON, 0, len(t.Events)), Solicitations: make([]solicitationJSON, 0, len(t.Solicitations))}
	for _, m := range t.Messages {
		out.Messages = append(out.Messages, toMessageJSON(m))
	}
	for _, e := range t.Events {
		out.Events = append(out.Events, deskEventJSON{ID: e.ID, At: e.At, Agent: toDeskAgent(e.Agent), Kind: e.Kind, Old: e.Old, New: e.New})
	}
	for _, s := range t.Solicitations {
		out.Solicitations = append(out.Solicitations, solicitationJSON{ID: s.ID, Recipient: s.Recipient, Subject: s.Subject,
			CreatedBy: toDeskAgent(s.CreatedBy), CreatedAt: s.CreatedAt})
	}
	return out
}

// deskAttachmentJSON is a file sent with a request or a message, as on
// the ingestion of interactions.
type deskAttachmentJSON struct {
	Name          string `json:"name" maxLength:"200" doc:"The file name; paths are removed"`
	ContentType   string `json:"content_type,omitempty" maxLength:"100" doc:"Media type; checked against the content, sniffed when omitted"`
	ContentBase64 string `json:"content_base64" maxLength:"14680064" doc:"The content in standard base64 (MIME line breaks allowed), at most 10 MiB once decoded"`
	Inline        bool   `json:"inline,omitempty" doc:"An image shown in the body"`
	ContentID     string `json:"content_id,omitempty" maxLength:"100" doc:"An inline image's Content-ID, which the HTML body shows as cid:…"`
}

// maxDeskBody bounds a request carrying files: 20 MiB of files in base64
// with line breaks, and a body of a million characters.
const maxDeskBody = 40 << 20

// uploadsOf decodes attachments, naming each one whose content is not
// base64 as attachments[i].content_base64; the store checks the rest.
func uploadsOf(list []deskAttachmentJSON) ([]desk.Upload, error) {
	f := core.Fields{}
	if why := content.CheckTotal(make([]int, len(list))); why.Code != "" {
		f.Add("attachments", why)
		return nil, f.Err()
	}
	out := make([]desk.Upload, 0, len(list))
	for i, a := range list {
		b, err := content.DecodeBase64(a.ContentBase64)
		if err != nil {
			f.Add(fmt.Sprintf("attachments[%d].content_base64", i), content.ReasonOf(err))
			continue
		}
		out = append(out, desk.Upload{Name: a.Name, ContentType: a.ContentType, Inline: a.Inline, ContentID: a.ContentID, Data: b})
	}
	return out, f.Err()
}

// asSent names the files' fields of a refusal as the API calls them: the
// store's attachments[i].content is attachments[i].content_base64 here.
func asSent(err error) error {
	var ce *core.Error
	if !errors.As(err, &ce) {
		return err
	}
	for k, why := range ce.Fields {
		if strings.HasPrefix(k, "attachments[") && strings.HasSuffix(k, ".content") {
			delete(ce.Fields, k)
			ce.Fields[k+"_base64"] = why
		}
	}
	return err
}
