package surveys

import (
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// linkToken is the signed token of a survey's answer link: the survey's id
// and the link's expiry (Unix seconds, base 36), signed with the secret key.
func (s *Store) linkToken(surveyID string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 36)
	return surveyID + "." + exp + "." + s.key.Sign("survey", surveyID, exp)
}

// LinkURL is the answer link of a survey: BaseURL/s/<token>.
func (s *Store) LinkURL(surveyID string, expires time.Time) string {
	return strings.TrimRight(s.baseURL, "/") + "/s/" + s.linkToken(surveyID, expires)
}

// parseToken checks a token's signature and returns the survey's id and
// the link's expiry; a token that is malformed or not signed by this key
// is NotFound, like a survey that does not exist.
func (s *Store) parseToken(token string) (string, time.Time, error) {
	notFound := core.Errorf(core.NotFound, "survey not found")
	if len(token) > 200 {
		return "", time.Time{}, notFound
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || !core.ValidID(parts[0]) {
		return "", time.Time{}, notFound
	}
	if !s.key.Verify(parts[2], "survey", parts[0], parts[1]) {
		return "", time.Time{}, notFound
	}
	sec, err := strconv.ParseInt(parts[1], 36, 64)
	if err != nil {
		return "", time.Time{}, notFound
	}
	return parts[0], time.Unix(sec, 0).UTC(), nil
}
