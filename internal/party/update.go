package party

import (
	"context"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Update changes the fields of party id that the patch sets; a provided list
// replaces the whole list. A stale Version is a Conflict, and moving the
// party to an agency outside the actor's scope is refused. Requires
// party.edit and the party in scope; audited as party.update with the old
// and new value of every changed field. An update that changes nothing
// leaves the version alone.
func (s *Store) Update(ctx context.Context, actor *core.Actor, id string, patch Patch) (Party, error) {
	if err := actor.Require(core.PermPartyEdit); err != nil {
		return Party{}, err
	}
	now := s.clock.Now()
	var out *Party
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		old, err := load(ctx, tx, id, actor.Scope)
		if err != nil {
			return err
		}
		if patch.Version != nil && *patch.Version != old.Version {
			return errModified(id)
		}
		in := inputOf(old)
		patch.apply(&in)
		f := in.normalize(now)
		if in.AgencyCode == "" {
			f.Add("agency_code", core.Required())
		}
		p, err := resolve(ctx, tx, actor, &in, f)
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		p.ID, p.CreatedAt, p.UpdatedAt, p.Version = old.ID, old.CreatedAt, old.UpdatedAt, old.Version
		detail := changes(old, p)
		if len(detail) == 0 {
			out = old
			return nil
		}
		p.UpdatedAt, p.Version = now, old.Version+1
		if err := s.updateParty(ctx, tx, old, p); err != nil {
			return conflictOnNumber(err, p.ClientNumber)
		}
		if err := s.gained(ctx, tx, map[string]*Party{old.ID: old}, p); err != nil {
			return err
		}
		out = p
		return s.log.Record(ctx, tx, actor, "party.update", "party", p.ID, p.ID, detail)
	})
	if err != nil {
		return Party{}, err
	}
	return *out, nil
}

// inputOf returns the input that would create p as it is.
func inputOf(p *Party) Input {
	return Input{
		Kind: p.Kind, Status: p.Status, ClientNumber: p.ClientNumber,
		FirstName: p.FirstName, LastName: p.LastName, Name: p.Name,
		BirthDate: p.BirthDate, Segment: p.Segment,
		AgencyCode: p.AgencyCode, AdvisorLogin: p.AdvisorLogin, Consents: p.Consents,
		Emails:    append([]Email{}, p.Emails...),
		Phones:    append([]Phone{}, p.Phones...),
		Addresses: append([]Address{}, p.Addresses...),
	}
}

// apply copies the fields the patch sets into in.
func (pt Patch) apply(in *Input) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&in.Status, pt.Status)
	set(&in.ClientNumber, pt.ClientNumber)
	set(&in.FirstName, pt.FirstName)
	set(&in.LastName, pt.LastName)
	set(&in.Name, pt.Name)
	set(&in.BirthDate, pt.BirthDate)
	set(&in.Segment, pt.Segment)
	set(&in.AgencyCode, pt.AgencyCode)
	set(&in.AdvisorLogin, pt.AdvisorLogin)
	if pt.Consents != nil {
		in.Consents = *pt.Consents
	}
	if pt.Emails != nil {
		in.Emails = append([]Email{}, (*pt.Emails)...)
	}
	if pt.Phones != nil {
		in.Phones = append([]Phone{}, (*pt.Phones)...)
	}
	if pt.Addresses != nil {
		in.Addresses = append([]Address{}, (*pt.Addresses)...)
	}
}
