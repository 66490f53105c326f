package mail

import "testing"

func TestNormalizeSubjectStripsReplyAndForwardPrefixes(t *testing.T) {
	cases := map[string]string{
		"Votre demande":                     "Votre demande",
		"  Re: Votre demande ":              "Votre demande",
		"RE: RE: Fwd: Votre demande":        "Votre demande",
		"TR: Re : Votre demande":            "Votre demande",
		"AW: WG: Anfrage":                   "Anfrage",
		"Re[2]: Votre demande":              "Votre demande",
		"Re (3) : Votre demande":            "Votre demande",
		"RÉF : Votre demande":               "Votre demande",
		"SV: VS: Fråga":                     "Fråga",
		"Re：全角":                             "全角",
		"Fw: Re: [#D-1042] Votre demande":   "[#D-1042] Votre demande",
		"Regarding: the loan":               "Regarding: the loan",
		"Re":                                "Re",
		"Recours: contestation":             "Recours: contestation",
		"Travaux : devis":                   "Travaux : devis",
		"Re: ":                              "",
		"I: the letter I is not a prefix":   "I: the letter I is not a prefix",
		"Re[x]: a counter must be a number": "Re[x]: a counter must be a number",
	}
	for in, want := range cases {
		if got := NormalizeSubject(in); got != want {
			t.Errorf("NormalizeSubject(%q) = %q, want %q", in, got, want)
		}
	}
}
