package party

import (
	"context"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Create records a new party, a prospect unless told otherwise. The agency
// defaults to the actor's own when it is an agency and must be in the
// actor's scope; a client needs a client number, which must be free
// (Conflict otherwise). Requires party.edit; audited as party.create.
func (s *Store) Create(ctx context.Context, actor *core.Actor, in Input) (Party, error) {
	if err := actor.Require(core.PermPartyEdit); err != nil {
		return Party{}, err
	}
	var p Party
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		p, err = s.CreateIn(ctx, tx, actor, in)
		return err
	})
	if err != nil {
		return Party{}, err
	}
	return p, nil
}

// CreateIn records a new party inside the caller's transaction, as Create
// does but without checking the actor's permission: the caller has checked
// its own (the leads create a prospect for the lead they store). The
// agency must still be in the actor's scope.
func (s *Store) CreateIn(ctx context.Context, tx *db.Tx, actor *core.Actor, in Input) (Party, error) {
	now := s.clock.Now()
	f := in.normalize(now)
	p, err := resolve(ctx, tx, actor, &in, f)
	if err != nil {
		return Party{}, err
	}
	if err := f.Err(); err != nil {
		return Party{}, err
	}
	p.ID = core.NewID()
	p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
	if err := s.insertParties(ctx, tx, []*Party{p}); err != nil {
		return Party{}, conflictOnNumber(err, p.ClientNumber)
	}
	if err := s.gained(ctx, tx, nil, p); err != nil {
		return Party{}, err
	}
	if err := s.log.Record(ctx, tx, actor, "party.create", "party", p.ID, p.ID,
		map[string]string{"display_name": p.DisplayName, "status": p.Status, "agency_code": p.AgencyCode}); err != nil {
		return Party{}, err
	}
	return *p, nil
}

// resolve turns a normalised input into a party, looking up its agency and
// advisor and adding to f what is wrong with them.
func resolve(ctx context.Context, q db.Querier, actor *core.Actor, in *Input, f core.Fields) (*Party, error) {
	agency, err := resolveAgency(ctx, q, actor, in.AgencyCode, f)
	if err != nil {
		return nil, err
	}
	adv, err := resolveAdvisor(ctx, q, in.AdvisorLogin, f)
	if err != nil {
		return nil, err
	}
	return fromInput(in, agency, adv), nil
}

// fromInput builds the party described by a normalised input.
func fromInput(in *Input, agency unit, adv advisor) *Party {
	p := &Party{
		Kind: in.Kind, Status: in.Status, ClientNumber: in.ClientNumber,
		FirstName: in.FirstName, LastName: in.LastName, Name: in.Name,
		BirthDate: in.BirthDate, Segment: in.Segment,
		AgencyID: agency.ID, AgencyCode: agency.Code, AgencyName: agency.Name,
		AdvisorID: adv.ID, AdvisorLogin: adv.Login, AdvisorName: adv.Name,
		Consents:  in.Consents,
		Emails:    append([]Email{}, in.Emails...),
		Phones:    append([]Phone{}, in.Phones...),
		Addresses: append([]Address{}, in.Addresses...),
	}
	p.DisplayName = displayName(p.Kind, p.FirstName, p.LastName, p.Name)
	return p
}

// conflictOnNumber turns a unique violation on the client number into a
// Conflict error naming the field.
func conflictOnNumber(err error, number string) error {
	if db.IsUniqueViolation(err) {
		return &core.Error{Code: core.Conflict, Message: "client number " + number + " is already used",
			Fields: core.Fields{"client_number": core.Because("taken")}, Err: err}
	}
	return err
}
