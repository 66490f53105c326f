package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/history"
)

// maxSaleRows bounds the sale lines one report form carries.
const maxSaleRows = 50

// option is a choice of a select, with its label.
type option struct{ Code, Label string }

// reportForm is the meeting-report form of the 360° page, with what was
// typed when the server refused it.
type reportForm struct {
	Open       bool // shown unfolded: it was refused
	Medium     string
	Initiative string
	Reason     string
	Comment    string
	Sales      []saleRow
	Media      []string
	Reasons    []option
	Products   []option
	Max        int
}

// saleRow is a sale line of the form, as typed.
type saleRow struct{ Product, Amount string }

// newReportForm returns an empty form with the reasons and products the
// agent's establishment offers, labelled in the page's language.
func (s *server) newReportForm(p page) *reportForm {
	// No initiative is chosen for the agent: a wrong default is how orphans are made.
	f := &reportForm{Medium: "phone", Media: history.Media, Sales: make([]saleRow, 1), Max: history.MaxComment}
	for _, e := range p.book().Active(catalogue.ReportReasons) {
		f.Reasons = append(f.Reasons, option{e.Code, e.Label(p.Lang)})
	}
	for _, e := range p.book().Active(catalogue.Products) {
		f.Products = append(f.Products, option{e.Code, e.Label(p.Lang)})
	}
	return f
}

// partyReport files a meeting report from the 360° page; refused, the page
// is shown again with the form open, its input and the reasons.
func (s *server) partyReport(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	in := history.ReportInput{PartyID: id, Medium: r.FormValue("medium"), Initiative: r.FormValue("initiative"),
		Reason: r.FormValue("reason"), Comment: strings.ReplaceAll(r.FormValue("comment"), "\r\n", "\n")}
	count, _ := strconv.Atoi(r.FormValue("sale_count"))
	rows := make([]saleRow, min(max(count, 1), maxSaleRows))
	var badAmount []int
	for i := range rows {
		n := strconv.Itoa(i)
		rows[i] = saleRow{Product: r.FormValue("sale_product_" + n), Amount: strings.TrimSpace(r.FormValue("sale_amount_" + n))}
		if rows[i].Product == "" {
			continue
		}
		amount, ok := core.ParseMoney(rows[i].Amount, core.DefaultCurrency)
		if !ok && rows[i].Amount != "" {
			badAmount = append(badAmount, i)
		}
		in.Sales = append(in.Sales, history.Sale{Product: rows[i].Product, Money: amount})
	}
	if r.FormValue("action") == "add_sale" { // one more sale line, nothing saved yet
		s.showParty(w, r, http.StatusOK, func(p *partyPage) {
			if p.Report == nil {
				return
			}
			p.Report.Open, p.Report.Medium, p.Report.Initiative = true, in.Medium, in.Initiative
			p.Report.Reason, p.Report.Comment = in.Reason, in.Comment
			p.Report.Sales = append(rows, saleRow{})[:min(len(rows)+1, maxSaleRows)]
		})
		return
	}
	actor := core.ActorFrom(r.Context())
	var rep history.Report
	var err error
	if len(badAmount) > 0 {
		f := core.Fields{}
		for _, i := range badAmount {
			f.Add("sales["+strconv.Itoa(i)+"].amount_minor", core.Because("amount"))
		}
		err = f.Err()
	} else {
		rep, err = s.History.WriteReport(r.Context(), actor, in)
	}
	if err != nil {
		code := core.ErrorCode(err)
		if code != core.Invalid && code != core.Conflict {
			s.fail(w, r, err)
			return
		}
		status := http.StatusUnprocessableEntity
		if code == core.Conflict {
			status = http.StatusConflict
		}
		s.showParty(w, r, status, func(p *partyPage) {
			if p.Report == nil {
				return
			}
			p.Report.Open, p.Report.Medium, p.Report.Initiative = true, in.Medium, in.Initiative
			p.Report.Reason, p.Report.Comment, p.Report.Sales = in.Reason, in.Comment, rows
			p.Fields = fieldsOf(err)
			p.Error = p.formMessage(err)
			if code == core.Conflict {
				p.Error = p.T("report.conflict")
			}
		})
		return
	}
	p := s.newPage(r, "party.title")
	msg := p.T("report.orphan")
	if rep.Status == history.Reconciled {
		msg = p.T("report.reconciled")
	}
	s.redirect(w, r, "/parties/"+id+"#timeline", msg)
}

type orphansPage struct {
	page
	Reports []history.Report
	Next    string
}

// orphans lists the orphan reports the agent should fix, each with the
// exchanges it probably meant and a one-click fix.
func (s *server) orphans(w http.ResponseWriter, r *http.Request) {
	pg, err := s.History.Orphans(r.Context(), core.ActorFrom(r.Context()), r.FormValue("cursor"), 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := orphansPage{page: s.newPage(r, "orphans.title"), Reports: pg.Items, Next: pg.NextCursor}
	p.Current = "orphans"
	s.render(w, r, http.StatusOK, "orphans", "", p)
}
