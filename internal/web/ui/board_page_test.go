package ui

import (
	"testing"

	"github.com/rapport-crm/rapport/internal/board"
)

func TestABoardColumnPastTheCapCountsAsOneThousandPlusInTheReadersLanguage(t *testing.T) {
	for _, c := range []struct {
		lang string
		col  board.Column
		want string
	}{
		{"fr", board.Column{Count: 12}, "12"},
		{"fr", board.Column{Count: 1000, More: true}, "1\u202f000+"},
		{"en", board.Column{Count: 1000, More: true}, "1,000+"},
	} {
		if got := (boardPage{page: page{Lang: c.lang}}).Count(c.col); got != c.want {
			t.Errorf("%s %+v: %q, want %q", c.lang, c.col, got, c.want)
		}
	}
}

func TestABoardColumnsMoreLinkOpensTheListFilteredAsTheBoard(t *testing.T) {
	cases := boardPage{Filters: boardFilters{Unit: "u1", Assignee: "adv1"}, Board: board.Board{Kind: board.KindCases, Classification: "claim"}}
	if got, want := cases.MoreURL("open"), "/cases?assignee=adv1&classification=claim&status=open&unit=u1"; got != want {
		t.Errorf("cases: %s, want %s", got, want)
	}
	requests := boardPage{Filters: boardFilters{Channel: "email"}, Board: board.Board{Kind: board.KindRequests}}
	if got, want := requests.MoreURL("waiting"), "/desk?channel=email&status=waiting&view=all"; got != want {
		t.Errorf("requests: %s, want %s", got, want)
	}
	if got := (boardPage{}).Initials("Hugo Conseiller"); got != "HC" {
		t.Errorf("initials of Hugo Conseiller: %q", got)
	}
}
