package ui

import (
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/smsgw"
)

// smsGatewaysPage lists the establishments in scope with their gateway.
type smsGatewaysPage struct {
	adminBase
	Rows []smsGatewayRow
}

type smsGatewayRow struct {
	Unit    org.Unit
	Gateway *smsgw.Gateway // nil: none
}

// smsGatewayPage is an establishment's gateway form, with the result of a
// test SMS when one was sent.
type smsGatewayPage struct {
	adminBase
	Unit    org.Unit
	Gateway smsgw.Gateway
	Exists  bool
	TestTo  string
	Test    *smsgw.TestResult
}

// smsGatewayRoutes lists the SMS gateway's administration and the alert
// contacts on an agent's page (admin).
func (s *server) smsGatewayRoutes(mux *http.ServeMux) {
	admin := func(h http.HandlerFunc) http.Handler { return s.signedIn(core.PermAdmin, h) }
	mux.Handle("GET /admin/sms-gateways", admin(s.adminSMSGateways))
	mux.Handle("GET /admin/sms-gateways/{code}", admin(s.adminSMSGateway))
	mux.Handle("POST /admin/sms-gateways/{code}", admin(s.adminSMSGatewaySave))
	mux.Handle("POST /admin/sms-gateways/{code}/test", admin(s.adminSMSGatewayTest))
	mux.Handle("POST /admin/agents/{login}/lead-alerts", admin(s.adminAgentAlertsSave))
}

func (s *server) adminSMSGateways(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := core.ActorFrom(ctx)
	ests, err := s.Orgs.AdministeredEstablishments(ctx, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := smsGatewaysPage{adminBase: s.adminPage(r, "smsgw.title", "sms")}
	for _, u := range ests {
		row := smsGatewayRow{Unit: u}
		if g, err := s.SMSGateways.Gateway(ctx, actor, u.Code); err == nil {
			row.Gateway = &g
		} else if core.ErrorCode(err) != core.NotFound {
			s.fail(w, r, err)
			return
		}
		p.Rows = append(p.Rows, row)
	}
	s.render(w, r, http.StatusOK, "admin_sms_gateways", "", p)
}

func (s *server) adminSMSGateway(w http.ResponseWriter, r *http.Request) {
	s.showSMSGateway(w, r, http.StatusOK, nil, "", nil, nil)
}

// showSMSGateway renders the form: posted, when set, is what the
// administrator sent (shown again with its refusal).
func (s *server) showSMSGateway(w http.ResponseWriter, r *http.Request, status int, posted *smsgw.Input, msg string,
	fields core.Fields, test *smsgw.TestResult) {
	ctx := r.Context()
	actor := core.ActorFrom(ctx)
	code := r.PathValue("code")
	u, err := s.Orgs.AdministeredEstablishment(ctx, actor, code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := smsGatewayPage{adminBase: s.adminPage(r, "smsgw.title", "sms"), Unit: u, Test: test,
		Gateway: smsgw.Gateway{BodyTemplate: smsgw.DefaultTemplate, Active: true}}
	p.Title = p.T("smsgw.title") + " · " + u.Name
	g, err := s.SMSGateways.Gateway(ctx, actor, code)
	switch {
	case err == nil:
		p.Gateway, p.Exists = g, true
	case core.ErrorCode(err) != core.NotFound:
		s.fail(w, r, err)
		return
	}
	if posted != nil {
		p.Gateway.URL, p.Gateway.Username, p.Gateway.Sender = posted.URL, posted.Username, posted.Sender
		p.Gateway.BodyTemplate, p.Gateway.Active = posted.BodyTemplate, posted.Active
	}
	p.TestTo = r.FormValue("to")
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_sms_gateway", "", p)
}

func (s *server) adminSMSGatewaySave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	code := r.PathValue("code")
	in := smsgw.Input{URL: r.FormValue("url"), Username: r.FormValue("username"), Password: r.FormValue("password"),
		Sender: r.FormValue("sender"), BodyTemplate: r.FormValue("body_template"), Active: r.FormValue("active") == "on"}
	if _, err := s.SMSGateways.Save(ctx, core.ActorFrom(ctx), code, in); err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showSMSGateway(w, r, status, &in, msg, fields, nil)
		})
		return
	}
	p := s.newPage(r, "smsgw.title")
	s.redirect(w, r, "/admin/sms-gateways/"+code, p.T("admin.saved"))
}

// adminSMSGatewayTest sends a test SMS and shows what the gateway answered.
func (s *server) adminSMSGatewayTest(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	res, err := s.SMSGateways.SendTest(ctx, core.ActorFrom(ctx), r.PathValue("code"), r.FormValue("to"), "")
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showSMSGateway(w, r, status, nil, msg, fields, nil)
		})
		return
	}
	s.showSMSGateway(w, r, http.StatusOK, nil, "", nil, &res)
}

// adminAgentAlertsSave sets where an agent's email and SMS alerts go.
func (s *server) adminAgentAlertsSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	login := r.PathValue("login")
	c := leads.AlertContacts{ForwardEmail: r.FormValue("forward_email"), Mobile: r.FormValue("mobile")}
	if _, err := s.Leads.SaveAgentAlertContacts(ctx, core.ActorFrom(ctx), login, c); err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			a, aerr := s.Orgs.AgentByLogin(ctx, login)
			if aerr != nil {
				s.fail(w, r, aerr)
				return
			}
			s.showAgentForm(w, r, status, a, false, msg, fields)
		})
		return
	}
	p := s.newPage(r, "admin.agent")
	s.redirect(w, r, "/admin/agents/"+login, p.T("admin.saved"))
}

// agentAlertsFor returns where the agent's alerts go, for their admin
// page; the contacts just posted when the page shows their refusal.
func (s *server) agentAlertsFor(r *http.Request, a org.Agent, isNew bool) *leads.AlertSettings {
	if isNew || s.Leads == nil {
		return nil
	}
	st, err := s.Leads.AgentAlerts(r.Context(), core.ActorFrom(r.Context()), a.Login)
	if err != nil {
		s.Logger.Error("read an agent's alert contacts", "agent", a.Login, "err", err)
		return nil
	}
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/lead-alerts") {
		st.ForwardEmail, st.Mobile = r.FormValue("forward_email"), r.FormValue("mobile")
	}
	return &st
}
