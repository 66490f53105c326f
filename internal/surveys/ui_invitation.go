package surveys

import "context"

// InvitationIn is Invitation with the campaign's texts in lang when the
// campaign has them: the answer page's language switch.
func (s *Store) InvitationIn(ctx context.Context, token, lang string) (Invitation, error) {
	inv, err := s.Invitation(ctx, token)
	if err != nil || lang == "" || lang == inv.Language {
		return inv, err
	}
	l, err := s.openLink(ctx, s.db, token)
	if err != nil {
		return Invitation{}, err
	}
	if t, ok := l.campaign.Texts[lang]; ok {
		inv.Language, inv.Texts = lang, t
	}
	return inv, nil
}
