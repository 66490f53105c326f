package party

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
)

// Criteria are the advanced search's criteria, all ANDed; empty ones are ignored.
type Criteria struct {
	Name         string `json:"name"`        // every word a prefix of a name, accents and case ignored
	BirthDate    string `json:"birth_date"`  // YYYY-MM-DD
	PostalCode   string `json:"postal_code"` // prefix of an address's postal code
	City         string `json:"city"`        // prefix of an address's city, accents and case ignored
	AgencyCode   string `json:"agency_code"`
	AdvisorLogin string `json:"advisor_login"`
	Status       string `json:"status"`
	Kind         string `json:"kind"`
	Product      string `json:"product"` // holds an active contract of this product
	Cursor       string `json:"cursor"`
	Limit        int    `json:"limit"` // 25 by default, 200 at most
}

// Page is one page of search results in alphabetical order.
type Page struct {
	Items      []Summary `json:"items"`
	NextCursor string    `json:"next_cursor,omitempty"`
}

// Search is the advanced search: the parties in the actor's scope matching
// every criterion, in alphabetical order, one page at a time. Requires
// party.read.
func (s *Store) Search(ctx context.Context, actor *core.Actor, c Criteria) (Page, error) {
	if err := actor.Require(core.PermPartyRead); err != nil {
		return Page{}, err
	}
	limit := core.PageLimit(c.Limit, 25, 200)
	f := c.checkTexts()
	if c.BirthDate = strings.TrimSpace(c.BirthDate); c.BirthDate != "" && !validDate(c.BirthDate) {
		f.Add("birth_date", core.Because("date"))
	}
	if c.Product = strings.TrimSpace(c.Product); c.Product != "" {
		if _, ok := catalogue[c.Product]; !ok {
			f.Add("product", core.Because("unknown_product"))
		}
	}
	if err := f.Err(); err != nil {
		return Page{}, err
	}
	from, where := fromParty, " WHERE 1 = 1"
	var args []any
	if nf, cond, nargs, ok := s.index.nameQuery(c.Name, actor.Scope); ok {
		from = nf + " JOIN units u ON u.id = p.agency_id"
		where += cond
		args = append(args, nargs...)
	}
	and := func(cond string, a ...any) {
		where += " AND " + cond
		args = append(args, a...)
	}
	if c.BirthDate != "" {
		and("p.birth_date = ?", c.BirthDate)
	}
	if pc := strings.ToUpper(strings.TrimSpace(c.PostalCode)); pc != "" {
		and(`EXISTS (SELECT 1 FROM party_addresses ad WHERE ad.party_id = p.id
			AND ad.postal_code >= ? AND ad.postal_code < ? AND ad.postal_code LIKE ? ESCAPE '\')`,
			pc, prefixEnd(pc), likePrefix(pc))
	}
	if city := Fold(c.City); city != "" {
		and(`EXISTS (SELECT 1 FROM party_addresses ad WHERE ad.party_id = p.id
			AND ad.city_folded >= ? AND ad.city_folded < ? AND ad.city_folded LIKE ? ESCAPE '\')`,
			city, prefixEnd(city), likePrefix(city))
	}
	if code := strings.TrimSpace(c.AgencyCode); code != "" {
		and("u.code = ?", code)
	}
	if login := strings.TrimSpace(c.AdvisorLogin); login != "" {
		and("p.advisor_id = (SELECT id FROM agents WHERE login = ?)", login)
	}
	if st := strings.ToLower(strings.TrimSpace(c.Status)); st != "" {
		and("p.status = ?", st)
	}
	if k := strings.ToLower(strings.TrimSpace(c.Kind)); k != "" {
		and("p.kind = ?", k)
	}
	if c.Product != "" {
		and(`EXISTS (SELECT 1 FROM contract_holders h JOIN contracts k ON k.id = h.contract_id
			WHERE h.party_id = p.id AND k.product = ? AND k.status = 'active')`, c.Product)
	}
	sc, scArgs := scopeFilter("p.agency_id", actor.Scope)
	where += sc
	args = append(args, scArgs...)
	if c.Cursor != "" {
		var sortKey, id string
		if err := core.DecodeCursor(c.Cursor, &sortKey, &id); err != nil {
			return Page{}, err
		}
		and("(p.sort_name > ? OR (p.sort_name = ? AND p.id > ?))", sortKey, sortKey, id)
	}
	query := strings.Replace(selectSummary, "SELECT ", "SELECT p.sort_name, ", 1) + from + where +
		" ORDER BY p.sort_name, p.id LIMIT ?"
	rows, err := s.db.Query(ctx, query, append(args, limit+1)...)
	if err != nil {
		return Page{}, fmt.Errorf("search parties: %w", err)
	}
	page := Page{Items: []Summary{}}
	var keys []string
	err = eachRow(rows, func() error {
		var m Summary
		var key, first, last, name string
		if err := rows.Scan(&key, &m.ID, &m.Kind, &m.Status, &m.ClientNumber, &first, &last, &name, &m.BirthDate,
			&m.AgencyCode, &m.AgencyName, &m.City, &m.PostalCode); err != nil {
			return err
		}
		m.DisplayName = displayName(m.Kind, first, last, name)
		page.Items = append(page.Items, m)
		keys = append(keys, key)
		return nil
	})
	if err != nil {
		return Page{}, fmt.Errorf("search parties: %w", err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextCursor = core.EncodeCursor(keys[limit-1], page.Items[limit-1].ID)
	}
	return page, nil
}

// checkTexts refuses criteria that no party could match and PostgreSQL
// could not even compare: not UTF-8, a NUL byte, longer than a search.
func (c Criteria) checkTexts() core.Fields {
	f := core.Fields{}
	for _, t := range []struct{ field, value string }{{"name", c.Name}, {"birth_date", c.BirthDate},
		{"postal_code", c.PostalCode}, {"city", c.City}, {"agency_code", c.AgencyCode},
		{"advisor_login", c.AdvisorLogin}, {"status", c.Status}, {"kind", c.Kind}, {"product", c.Product},
		{"cursor", c.Cursor}} {
		core.CheckText(f, t.field, t.value, core.MaxQuery)
	}
	return f
}
