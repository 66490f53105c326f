package history

import (
	"fmt"
	"io"
	"mime"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/rapport-crm/rapport/internal/party"
)

// Rules are an establishment's restitution rules: what of the events the
// integrations push is shown in the history. DefaultRules gives docs/product/contact-history.md's.
type Rules struct {
	MinOutboundCall        time.Duration     // shorter outbound calls are not significant
	PrivateKeywords        []string          // a subject whose first word is one of these is private
	SpamTags               []string          // a subject starting with [TAG] is not stored
	NotificationCategories []string          // the notification categories shown
	LetterTypes            map[string]string // letter type code → label, the types shown
	ReportWindow           time.Duration     // a report written this soon after an exchange describes it
}

// DefaultRules are the default rules of docs/product/contact-history.md.
func DefaultRules() Rules {
	return Rules{
		MinOutboundCall:        40 * time.Second,
		PrivateKeywords:        []string{"Personnel", "Perso", "Privé", "Secret", "Intime"},
		SpamTags:               []string{"SPAM DOUTEUX"},
		NotificationCategories: []string{"appointment", "card", "security", "distance_selling"},
		LetterTypes: map[string]string{
			"PND": "Pli non distribué",
			"PEL": "Plan d'épargne logement arrivé à échéance",
			"OCF": "Offre clientèle fragile",
			"RPA": "Rapport périodique d'adéquation",
		},
		ReportWindow: 15 * time.Minute,
	}
}

// Exclusion names the rule that keeps an event out of the history; the
// empty Exclusion means the event is shown.
type Exclusion string

// The exclusions, as counted in /metrics.
const (
	Shown              Exclusion = ""
	ShortOutboundCall  Exclusion = "short_outbound_call"
	PrivateSubject     Exclusion = "private_subject"
	SpamTag            Exclusion = "spam_tag"
	HiddenNotification Exclusion = "notification_category"
	HiddenLetterType   Exclusion = "letter_type"
)

// The directions of an interaction.
const (
	DirectionInbound  = "inbound"
	DirectionOutbound = "outbound"
)

// Call decides whether a call is shown: every inbound call is, answered or
// not and however short; an outbound call only from MinOutboundCall on.
func (r Rules) Call(direction string, duration time.Duration) Exclusion {
	if direction == DirectionOutbound && duration < r.MinOutboundCall {
		return ShortOutboundCall
	}
	return Shown
}

// Subject decides whether an email with this raw subject (possibly RFC 2047
// encoded) is shown: not when, once decoded and past any number of reply
// and forward prefixes, it starts with a spam tag in brackets or its first
// word is a private keyword, case and accents ignored.
func (r Rules) Subject(raw string) Exclusion {
	subject := StripReplyPrefixes(DecodeSubject(raw))
	if strings.HasPrefix(subject, "[") {
		if end := strings.Index(subject, "]"); end > 0 {
			tag := party.Fold(subject[1:end])
			for _, t := range r.SpamTags {
				if party.Fold(t) == tag {
					return SpamTag
				}
			}
		}
	}
	first, _, _ := strings.Cut(party.Fold(subject), " ")
	for _, k := range r.PrivateKeywords {
		if first != "" && party.Fold(k) == first {
			return PrivateSubject
		}
	}
	return Shown
}

// Notification decides whether a notification of this category is shown.
func (r Rules) Notification(category string) Exclusion {
	if slices.Contains(r.NotificationCategories, strings.ToLower(strings.TrimSpace(category))) {
		return Shown
	}
	return HiddenNotification
}

// Letter decides whether a letter of this type is shown, and gives its label.
func (r Rules) Letter(code string) (string, Exclusion) {
	label, ok := r.LetterTypes[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return "", HiddenLetterType
	}
	return label, Shown
}

// replyPrefix is one reply or forward prefix in the languages mail clients
// use: Re, RE :, TR, Fwd, Fw, AW, WG, RV, SV, VS, Antw, Enc, with an optional
// counter (Re[2]:, Re(3):).
var replyPrefix = regexp.MustCompile(`(?i)^\s*(re|tr|fwd|fw|aw|wg|rv|sv|vs|antw|enc)\s*(\[\d+\]|\(\d+\))?\s*:\s*`)

// StripReplyPrefixes removes every leading reply and forward prefix.
func StripReplyPrefixes(subject string) string {
	for {
		loc := replyPrefix.FindStringIndex(subject)
		if loc == nil {
			return strings.TrimSpace(subject)
		}
		subject = subject[loc[1]:]
	}
}

// subjectDecoder decodes RFC 2047 encoded words in any charset the WHATWG
// encoding index knows (UTF-8, ISO-8859-*, Windows-125x…).
var subjectDecoder = &mime.WordDecoder{CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, fmt.Errorf("unknown charset %q", charset)
	}
	return enc.NewDecoder().Reader(input), nil
}}

// DecodeSubject decodes the encoded words of a subject; a subject that
// cannot be decoded is returned as it came.
func DecodeSubject(raw string) string {
	s, err := subjectDecoder.DecodeHeader(raw)
	if err != nil {
		return raw
	}
	return s
}
