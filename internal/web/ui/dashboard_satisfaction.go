package ui

import (
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/surveys"
)

// satisfactionView is the satisfaction widget's figures with their page.
type satisfactionView struct {
	P homePage
	S surveys.Summary
}

// UnderFloor reports whether too few answers hide the figures.
func (v satisfactionView) UnderFloor() bool { return v.S.Answered < surveys.MinAnswers }

// Rate writes the response rate as a percentage, "—" when unknown.
func (v satisfactionView) Rate() string {
	if v.S.ResponseRate == nil {
		return "—"
	}
	return strconv.FormatFloat(*v.S.ResponseRate*100, 'f', 0, 64) + " %"
}

// Average writes the average score on 5, "—" when unknown.
func (v satisfactionView) Average() string {
	if v.S.AverageScore == nil {
		return "—"
	}
	s := strconv.FormatFloat(*v.S.AverageScore, 'f', 1, 64)
	if v.P.Lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + "/5"
}

// NPS writes the net promoter score, "—" when unknown.
func (v satisfactionView) NPS() string {
	if v.S.NPS == nil {
		return "—"
	}
	return strconv.FormatFloat(*v.S.NPS, 'f', 0, 64)
}

func init() {
	funcs["satisfactionView"] = func(p homePage, s *surveys.Summary) satisfactionView {
		return satisfactionView{P: p, S: *s}
	}
}
