package desk

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/mail"
)

// place is where an inbound message belongs: a request and, for the reply
// of a solicited person, the solicitation thread; found says whether it
// threads at all, by says how (token, tag, header).
type place struct {
	requestID, solicitationID string
	found                     bool
	by                        string
}

// tagPattern finds the [#R-000123] tag of a subject.
var tagPattern = regexp.MustCompile(`\[#(R-\d{6,})\]`)

// threadOf finds the request an inbound message answers, in order: the
// signed token of one of our Message-IDs it answers (In-Reply-To, then
// References from the newest), the subject's [#REF] tag on a request of
// the same mailbox, the ids it answers matched among the mailbox's
// messages. Nothing found: a new request.
func (s *Store) placeOf(ctx context.Context, q db.Querier, mailboxID string, p *mail.Parsed) (place, error) {
	answered := answeredIDs(p)
	for _, id := range answered {
		if mid := s.tokenMessage(id); mid != "" {
			pl, err := messagePlace(ctx, q, "SELECT request_id, COALESCE(solicitation_id, '') FROM desk_messages WHERE id = ?", mid)
			if err != nil || pl.found {
				pl.by = "token"
				return pl, err
			}
		}
	}
	if m := tagPattern.FindStringSubmatch(p.Subject); m != nil {
		var id string
		err := q.QueryRow(ctx, "SELECT id FROM desk_requests WHERE reference = ? AND mailbox_id = ?", m[1], mailboxID).Scan(&id)
		if err == nil {
			pl := place{requestID: id, found: true, by: "tag"}
			// A solicited person answering with the tag but not the ids.
			var sid string
			err := q.QueryRow(ctx, "SELECT id FROM desk_solicitations WHERE request_id = ? AND recipient = ? ORDER BY created_at DESC LIMIT 1",
				id, strings.ToLower(p.From.Email)).Scan(&sid)
			if err == nil {
				pl.solicitationID = sid
			}
			return pl, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return place{}, err
		}
	}
	for _, id := range answered {
		pl, err := messagePlace(ctx, q, `SELECT request_id, COALESCE(solicitation_id, '') FROM desk_messages
			WHERE mailbox_id = ? AND message_id = ? ORDER BY created_at DESC LIMIT 1`, mailboxID, id)
		if err != nil || pl.found {
			pl.by = "header"
			return pl, err
		}
	}
	return place{}, nil
}

// answeredIDs are the ids a message answers, the most direct first.
func answeredIDs(p *mail.Parsed) []string {
	out := slices.Clone(p.InReplyTo)
	for i := len(p.References) - 1; i >= 0; i-- {
		if !slices.Contains(out, p.References[i]) {
			out = append(out, p.References[i])
		}
	}
	return out
}

func messagePlace(ctx context.Context, q db.Querier, query string, args ...any) (place, error) {
	var pl place
	err := q.QueryRow(ctx, query, args...).Scan(&pl.requestID, &pl.solicitationID)
	if errors.Is(err, sql.ErrNoRows) {
		return place{}, nil
	}
	if err != nil {
		return place{}, err
	}
	pl.found = true
	return pl, nil
}
