package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/rapport-crm/rapport/internal/core"
)

// Languages the UI speaks; French is the default.
var languages = []string{"fr", "en"}

// translator holds the message catalogues (locales/*.json).
type translator struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
}

func newTranslator() *translator {
	b := i18n.NewBundle(language.French)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, l := range languages {
		if _, err := b.LoadMessageFileFS(assets, "locales/"+l+".json"); err != nil {
			panic(fmt.Sprintf("load %s messages: %v", l, err)) // embedded at build time: a bug, not a runtime condition
		}
	}
	t := &translator{bundle: b, localizers: map[string]*i18n.Localizer{}}
	for _, l := range languages {
		t.localizers[l] = i18n.NewLocalizer(b, l, "fr")
	}
	return t
}

// T translates id into lang; args are key/value pairs for the template.
func (t *translator) T(lang, id string, args ...any) string {
	loc, ok := t.localizers[lang]
	if !ok {
		loc = t.localizers["fr"]
	}
	var data map[string]any
	if len(args) > 1 {
		data = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			data[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	msg, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil || msg == "" {
		return id
	}
	return msg
}

// Reason translates a validation reason through "reason.<code>" in the
// locale files, filling its parameters (a list is written comma-separated);
// a code the files lack is shown in English rather than as a raw key.
func (t *translator) Reason(lang string, why core.Reason) string {
	if why.Code == "" {
		return ""
	}
	id := "reason." + why.Code
	if msg := t.T(lang, id, dataArgs(why.Params)...); msg != id {
		return msg
	}
	return why.English()
}

// dataArgs turns a reason's parameters into T's key/value pairs.
func dataArgs(params map[string]any) []any {
	args := make([]any, 0, 2*len(params))
	for k, v := range core.ReasonData(params) {
		args = append(args, k, v)
	}
	return args
}

// requestLanguage picks the language of a request: the signed-in agent's
// choice, else the lang cookie, else Accept-Language, else French.
func requestLanguage(r *http.Request, agentLocale string) string {
	if valid(agentLocale) {
		return agentLocale
	}
	if c, err := r.Cookie("lang"); err == nil && valid(c.Value) {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		if len(tag) >= 2 && valid(tag[:2]) {
			return tag[:2]
		}
	}
	return "fr"
}

func valid(lang string) bool {
	for _, l := range languages {
		if l == lang {
			return true
		}
	}
	return false
}
