package ui

import (
	"regexp"
	"strconv"

	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/surveys"
)

// surveySource is the source (or channel) of the timeline lines that the
// surveys write for an identified answer.
const surveySource = "survey"

// surveyScore finds "4/5" or "9/10" in a survey line's subject.
var surveyScore = regexp.MustCompile(`(\d{1,2})\s*/\s*(5|10)\b`)

// surveyLine is a timeline line's survey answer: its smiley, or ok false
// for a line that is not one. A line whose score cannot be read shows the
// plain smile.
func surveyLine(e history.Entry) (m Mood, ok bool) {
	if e.Source != surveySource && e.Channel != surveySource {
		return Mood{}, false
	}
	m = Mood{Name: "survey", Icon: "smile"}
	if sub := surveyScore.FindStringSubmatch(e.Subject); sub != nil {
		score, _ := strconv.Atoi(sub[1])
		scale := surveys.Scale5
		if sub[2] == "10" {
			scale = surveys.Scale10
		}
		name := surveys.Mood(scale, score)
		m = Mood{Name: name, Icon: moodIcons[name]}
	}
	return m, true
}

func init() {
	funcs["surveyLine"] = func(e history.Entry) *Mood {
		if m, ok := surveyLine(e); ok {
			return &m
		}
		return nil
	}
}
