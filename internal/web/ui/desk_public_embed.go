package ui

import (
	"encoding/json"
	"net/http"

	"github.com/rapport-crm/rapport/internal/desk"
)

// embedConfig is what the embeddable script needs of a form: its code,
// its optional fields and its labels in the page's language.
type embedConfig struct {
	Code        string            `json:"code"`
	Lang        string            `json:"lang"`
	Phone       bool              `json:"phone"`
	Attachments bool              `json:"attachments"`
	T           map[string]string `json:"t"`
}

// publicFormScript serves /forms/{code}/embed.js: the script that renders
// the form into a page of another site, with the form's settings.
func (s *server) publicFormScript(w http.ResponseWriter, r *http.Request) {
	form, err := s.Desk.FormByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		http.Error(w, "// unknown form", http.StatusNotFound)
		return
	}
	lang := publicLang(r)
	cfg := embedConfig{Code: form.Code, Lang: lang, Phone: form.Has(desk.FieldPhone),
		Attachments: form.Has(desk.FieldAttachments), T: map[string]string{}}
	for _, k := range []string{"name", "email", "phone", "subject", "message", "attachments", "send", "network", "reference"} {
		cfg.T[k] = s.i18n.T(lang, "webform."+k)
	}
	raw, err := json.Marshal(cfg)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code, err := assets.ReadFile("static/webform/embed.js")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(code)
	w.Write([]byte("(" + string(raw) + ");\n"))
}
