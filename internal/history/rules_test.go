package history

import (
	"testing"
	"time"
)

func TestCallsShown(t *testing.T) {
	r := DefaultRules()
	for _, c := range []struct {
		name      string
		direction string
		duration  time.Duration
		want      Exclusion
	}{
		{"an inbound call is shown however short", DirectionInbound, 3 * time.Second, Shown},
		{"an unanswered inbound call of no duration is shown", DirectionInbound, 0, Shown},
		{"an outbound call under 40 s is not significant", DirectionOutbound, 39 * time.Second, ShortOutboundCall},
		{"an outbound call to an answering machine without message is hidden", DirectionOutbound, 12 * time.Second, ShortOutboundCall},
		{"an outbound call of exactly 40 s is shown", DirectionOutbound, 40 * time.Second, Shown},
		{"a long outbound call is shown", DirectionOutbound, 5 * time.Minute, Shown},
	} {
		if got := r.Call(c.direction, c.duration); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestPrivateSubjects(t *testing.T) {
	r := DefaultRules()
	for _, c := range []struct {
		name, subject string
		want          Exclusion
	}{
		{"a subject starting with Personnel is private", "Personnel : mon arrêt maladie", PrivateSubject},
		{"Perso, in capitals", "PERSO vacances", PrivateSubject},
		{"Privé without its accent", "prive - dossier", PrivateSubject},
		{"Privé with its accent and a colon", "Privé: nouvelles", PrivateSubject},
		{"Secret", "Secret", PrivateSubject},
		{"Intime after a reply prefix", "RE: Intime", PrivateSubject},
		{"several reply and forward prefixes are skipped", "Re: TR: Fwd: Perso photos", PrivateSubject},
		{"French spacing before the colon", "RE : TR : Personnel", PrivateSubject},
		{"a reply counter", "Re[2]: Perso", PrivateSubject},
		{"the keyword must be the first word", "Mon dossier perso", Shown},
		{"Personnalisation is not Personnel", "Personnalisation de votre carte", Shown},
		{"a word starting like a keyword is not one", "Persona non grata", Shown},
		{"the suspected spam tag is not stored", "[SPAM DOUTEUX] Gagnez un iPhone", SpamTag},
		{"the spam tag after Re: is excluded too", "Re: [SPAM DOUTEUX] Gagnez un iPhone", SpamTag},
		{"the spam tag in lower case", "[spam douteux] offre", SpamTag},
		{"a reply whose subject the advisor changed is kept", "Votre demande de virement", Shown},
		{"another tag is not the spam tag", "[EXTERNE] Perso", Shown},
		{"an encoded private subject is decoded first", "=?UTF-8?Q?Priv=C3=A9_:_rendez-vous?=", PrivateSubject},
		{"an ISO-8859-1 encoded word", "=?ISO-8859-1?Q?Priv=E9?= et confidentiel", PrivateSubject},
		{"a Windows-1252 encoded reply", "RE: =?windows-1252?Q?Intime?=", PrivateSubject},
		{"a base64 encoded spam tag", "=?UTF-8?B?W1NQQU0gRE9VVEVVWF0gT2ZmcmU=?=", SpamTag},
		{"an empty subject is shown", "", Shown},
		{"a subject of prefixes only is shown", "Re: ", Shown},
	} {
		if got := r.Subject(c.subject); got != c.want {
			t.Errorf("%s (%q): got %q, want %q", c.name, c.subject, got, c.want)
		}
	}
}

func TestNotificationsAndLetters(t *testing.T) {
	r := DefaultRules()
	for cat, want := range map[string]Exclusion{"appointment": Shown, "card": Shown, "security": Shown,
		"distance_selling": Shown, "Security": Shown, "marketing": HiddenNotification, "": HiddenNotification} {
		if got := r.Notification(cat); got != want {
			t.Errorf("notification %q: got %q, want %q", cat, got, want)
		}
	}
	if label, got := r.Letter("pnd"); got != Shown || label != "Pli non distribué" {
		t.Errorf("an undelivered letter (PND) is shown with its label: %q %q", label, got)
	}
	if _, got := r.Letter("XYZ"); got != HiddenLetterType {
		t.Errorf("a letter type outside the catalogue is hidden, got %q", got)
	}
}

func TestStripReplyPrefixesKeepsWordsThatStartLikePrefixes(t *testing.T) {
	for in, want := range map[string]string{
		"Re: Bonjour":          "Bonjour",
		"Relevé de compte":     "Relevé de compte",
		"Travaux: devis":       "Travaux: devis",
		"AW: WG: Antrag":       "Antrag",
		"Fw: fwd: Re : merci ": "merci",
	} {
		if got := StripReplyPrefixes(in); got != want {
			t.Errorf("StripReplyPrefixes(%q) = %q, want %q", in, got, want)
		}
	}
}
