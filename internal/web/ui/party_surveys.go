package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/surveys"
)

// partySurveysShown is how many surveys the 360° page lists.
const partySurveysShown = 10

// partySurveys is the "Surveys" section of a party's page: the latest
// answer the customer chose to sign, as a smiley, and their surveys.
// Anonymous answers read as sent: nothing of them shows here.
type partySurveys struct {
	Latest  *surveys.Survey
	Surveys []surveys.Survey
	More    bool
}

// partySurveys reads the section for the party's page.
func (s *server) partySurveys(r *http.Request, partyID string) (*partySurveys, error) {
	actor := core.ActorFrom(r.Context())
	latest, err := s.Surveys.LatestIdentified(r.Context(), actor, partyID)
	if err != nil {
		return nil, err
	}
	list, err := s.Surveys.PartySurveys(r.Context(), actor, partyID)
	if err != nil {
		return nil, err
	}
	out := &partySurveys{Latest: latest, Surveys: list}
	if len(list) > partySurveysShown {
		out.Surveys, out.More = list[:partySurveysShown], true
	}
	return out, nil
}

// moodIcons are the Lucide glyphs of the moods of surveys.Mood.
var moodIcons = map[string]string{"happy": "smile", "neutral": "meh", "unhappy": "frown"}

// Mood is the smiley of an answer: its mood and icon, for the templates.
type Mood struct{ Name, Icon string }

// moodOf is an answer's smiley.
func moodOf(a *surveys.Answer) Mood {
	if a == nil {
		return Mood{}
	}
	m := surveys.Mood(a.Scale, a.Score)
	return Mood{Name: m, Icon: moodIcons[m]}
}

// ScaleMax is the top of an answer's scale ("5" or "10"), for "4/5".
func ScaleMax(scale string) int {
	if scale == surveys.Scale10 {
		return 10
	}
	return 5
}

func init() {
	funcs["mood"] = moodOf
	funcs["scaleMax"] = ScaleMax
}
