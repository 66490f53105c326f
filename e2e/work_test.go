package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// The activity list, the board and the cases' administration in the
// browser. The test clock's today is Monday 2026-11-23.

// claimCases gives the establishment the classification "claim" (open →
// review → closed; closing asks for its outcome) and the plan
// "follow_up" (a call today, a task in two business days, both for
// whoever launches it), and opens n cases of it for Hélène Dupré.
func claimCases(t *testing.T, app *webtest.App, titles ...string) []cases.Case {
	t.Helper()
	ctx := context.Background()
	admin := deskActor(t, app, "admin")
	_, err := app.App.Cases.SaveClassification(ctx, admin, "BR", cases.Classification{Code: "claim",
		NameFR: "Réclamation", NameEN: "Claim", Process: cases.Process{
			Statuses: []cases.Status{{Code: "open", NameFR: "Ouvert", NameEN: "Open"}, {Code: "review", NameFR: "En revue", NameEN: "In review"},
				{Code: "closed", NameFR: "Clôturé", NameEN: "Closed", Closed: true}},
			Steps: []cases.Step{{Code: "review", NameFR: "Revoir", From: []string{"open"}, To: "review"},
				{Code: "close", NameFR: "Clôturer", From: []string{"review"}, To: "closed",
					Fields: []cases.Field{{Code: "outcome", LabelFR: "Issue", Type: cases.FieldText, Required: true}}}}}})
	if err != nil {
		t.Fatalf("save classification: %v", err)
	}
	_, err = app.App.Cases.SavePlan(ctx, admin, "BR", cases.ActionPlan{Code: "follow_up", NameFR: "Suivi de réclamation",
		Steps: []cases.PlanStep{{Day: 0, Title: "Appeler la cliente", Kind: cases.TaskCall, Assignee: cases.AssignLauncher},
			{Day: 2, Title: "Relancer le service litiges", Assignee: cases.AssignLauncher}}})
	if err != nil {
		t.Fatalf("save plan: %v", err)
	}
	var out []cases.Case
	for _, title := range titles {
		c, _, err := app.App.Cases.OpenCase(ctx, deskActor(t, app, "adv1"), cases.NewCase{Classification: "claim",
			PartyID: app.P1.ID, Title: title})
		if err != nil {
			t.Fatalf("open case: %v", err)
		}
		out = append(out, c)
	}
	return out
}

// pressKey presses a key such as ArrowRight on the focused element.
func (b *browser) pressKey(key string, code int64) {
	b.t.Helper()
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		ev := input.DispatchKeyEventParams{Type: typ, Key: key, Code: key, WindowsVirtualKeyCode: code, NativeVirtualKeyCode: code}
		if _, err := chromedp.Call(b.ctx, input.DispatchKeyEvent, ev); err != nil {
			b.t.Fatalf("press %s: %v", key, err)
		}
	}
}

// center is the middle of the first element matching css, in the viewport.
func (b *browser) center(css string) (float64, float64) {
	b.t.Helper()
	b.eval(`(document.querySelector(` + jsString(css) + `).scrollIntoView({block: "center", inline: "center"}), "")`)
	var xy []float64
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]float64](`(() => { const r = document.querySelector(`+jsString(css)+
		`).getBoundingClientRect(); return [r.left + r.width / 2, r.top + Math.min(r.height / 2, 20)]; })()`))
	if err != nil {
		b.t.Fatalf("where is %s: %v", css, err)
	}
	xy = ok
	return xy[0], xy[1]
}

// drag drags the element of from onto the element of to with the mouse:
// press, move, and the browser's drag and drop (intercepted by the
// DevTools protocol, which headless Chromium needs, then dispatched as the
// browser would) onto the target, release.
func (b *browser) drag(from, to string) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, input.SetInterceptDrags, input.SetInterceptDragsParams{Enabled: true}); err != nil {
		b.t.Fatalf("intercept drags: %v", err)
	}
	defer chromedp.Call(b.ctx, input.SetInterceptDrags, input.SetInterceptDragsParams{Enabled: false})
	intercepted := make(chan *input.DragData, 1)
	lctx, cancel := context.WithCancel(b.ctx)
	defer cancel()
	chromedp.Listen(lctx, func(ev any) {
		if e, ok := ev.(*input.EventDragIntercepted); ok {
			select {
			case intercepted <- e.Data:
			default:
			}
		}
	})
	x0, y0 := b.center(from)
	mouse := func(typ input.DispatchMouseEventType, x, y float64, buttons int64) {
		p := input.DispatchMouseEventParams{Type: typ, X: x, Y: y, Button: input.MouseButtonLeft, Buttons: buttons, ClickCount: 1}
		if typ == input.DispatchMouseEventTypeMouseMoved {
			p.ClickCount = 0
		}
		if _, err := chromedp.Call(b.ctx, input.DispatchMouseEvent, p); err != nil {
			b.t.Fatalf("mouse %s: %v", typ, err)
		}
	}
	mouse(input.DispatchMouseEventTypeMousePressed, x0, y0, 1)
	x1, y1 := b.center(to)
	for i := 1; i <= 10; i++ {
		mouse(input.DispatchMouseEventTypeMouseMoved, x0+(x1-x0)*float64(i)/10, y0+(y1-y0)*float64(i)/10, 1)
	}
	var data *input.DragData
	select {
	case data = <-intercepted:
	case <-time.After(5 * time.Second):
		b.t.Fatalf("dragging %s: the browser started no drag", from)
	}
	for _, typ := range []input.DispatchDragEventType{input.DispatchDragEventTypeDragEnter, input.DispatchDragEventTypeDragOver, input.DispatchDragEventTypeDrop} {
		if _, err := chromedp.Call(b.ctx, input.DispatchDragEvent, input.DispatchDragEventParams{Type: typ, X: x1, Y: y1, Data: data}); err != nil {
			b.t.Fatalf("drag event %s: %v", typ, err)
		}
	}
	mouse(input.DispatchMouseEventTypeMouseReleased, x1, y1, 0)
}

// A plan launched on a case puts its tasks on the activity list of whoever
// launched it, the call with its pictogram; one is done with a click.
func TestAPlanLaunchedOnACaseListsItsTasksOnTheActivityListAndOneIsDoneWithAClick(t *testing.T) {
	app, b := start(t)
	c := claimCases(t, app, "Frais contestés")[0]
	b.signIn("adv1")
	b.open("/cases/" + c.ID)
	b.waitPage("/cases/" + c.ID)
	b.do("launch the plan from the case", chromedp.SetValue(chromedp.CSS(`form[action="/cases/`+c.ID+`/plan"] select[name=plan]`), "follow_up"),
		chromedp.Click(chromedp.CSS(`form[action="/cases/`+c.ID+`/plan"] button`)))
	b.waitFor("the plan launched", `document.readyState === "complete" && document.querySelector(".flash")`)
	b.do("open the activity list", chromedp.Click(chromedp.CSS(`#main-nav a[href="/activity"]`)))
	b.waitPage("/activity")
	if got := b.text("#today"); !strings.Contains(got, "Appeler la cliente") || !strings.Contains(got, c.Reference) {
		t.Errorf("today's part lacks the plan's call on %s: %q", c.Reference, got)
	}
	if got := b.eval(`document.querySelector("#today .task-kind").getAttribute("aria-label")`); got != "Appel à passer" {
		t.Errorf("the call's pictogram is named %q", got)
	}
	if got := b.text("#week"); !strings.Contains(got, "Relancer le service litiges") {
		t.Errorf("this week's part lacks the plan's second task: %q", got)
	}
	call := b.eval(`[...document.querySelectorAll("#today li.task")].find(li => li.innerText.includes("Appeler la cliente")).id`)
	b.do("done with a click", chromedp.Click(chromedp.CSS(`#`+call+` button.task-done`)))
	b.waitFor("the message", `document.querySelector(".flash") && document.querySelector(".flash").innerText.includes("Tâche faite")`)
	if strings.Contains(b.text("#today"), "Appeler la cliente") {
		t.Errorf("the call done is still on the list")
	}
}

// A card moves on the board by drag and drop and by the keyboard; a move
// the process refuses is explained and the card stays.
func TestACardMovesOnTheBoardByMouseAndByKeyboardAndARefusedMoveIsExplained(t *testing.T) {
	app, b := start(t)
	cs := claimCases(t, app, "Frais contestés", "Carte avalée")
	b.signIn("adv1")
	b.do("open the board", chromedp.Click(chromedp.CSS(`#main-nav a[href="/board"]`)))
	b.waitPage("/board")
	card := func(c cases.Case) string { return `.board-card[data-id="` + c.ID + `"]` }
	in := func(c cases.Case, status string) string {
		return `document.querySelector('.board-col[data-status="` + status + `"] ` + card(c) + `')`
	}

	b.drag(card(cs[0]), `.board-col[data-status="review"] h2`)
	b.waitFor("the dragged card in review", in(cs[0], "review"))
	if got := b.text("#board-msg"); !strings.Contains(got, cs[0].Reference+" déplacé vers En revue") {
		t.Errorf("the move by mouse is announced as %q", got)
	}
	if got := b.text(`.board-col[data-status="review"] .count`); got != "1" {
		t.Errorf("the review column counts %q after the drop", got)
	}

	b.do("focus the second card", chromedp.Focus(chromedp.CSS(card(cs[1]))))
	b.pressKey("ArrowRight", 39)
	if got := b.text("#board-msg"); !strings.Contains(got, "vers En revue") {
		t.Errorf("the arrow's choice is announced as %q", got)
	}
	b.pressEnter(card(cs[1]))
	b.waitFor("the card moved by keyboard", in(cs[1], "review"))

	// review → closed asks for the outcome: refused, explained, the card stays.
	b.do("focus the first card", chromedp.Focus(chromedp.CSS(card(cs[0]))))
	b.pressKey("ArrowRight", 39)
	b.pressEnter(card(cs[0]))
	b.waitFor("the refusal", `document.getElementById("board-msg").innerText.includes("demande Issue")`)
	if b.count(`.board-col[data-status="review"] `+card(cs[0])) != 1 || b.count(card(cs[0])+".refused") != 1 {
		t.Errorf("the refused card left its column or is not marked")
	}
}

// checkPages opens each page as login at 390 and 1440 px and reports what
// reaches past the edge (layout) or fails the accessibility check (axe).
func checkPages(t *testing.T, login string, pages []string, axe bool) {
	app, b := start(t)
	c := claimCases(t, app, "Frais contestés avec un titre assez long pour passer à la ligne sur un téléphone")[0]
	if _, err := app.App.Cases.LaunchPlan(context.Background(), deskActor(t, app, "adv1"), "follow_up", cases.PlanTarget{CaseID: c.ID}); err != nil {
		t.Fatal(err)
	}
	b.signIn(login)
	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1440, 900}} {
		b.do("resize to "+size.name, chromedp.EmulateViewport(size.w, size.h))
		for _, path := range pages {
			b.open(path)
			b.waitFor(path+" loaded", `document.readyState === "complete"`)
			if axe {
				if bad := accessibilityProblems(t, b); bad != "" {
					t.Errorf("%s at %d px, accessibility:\n%s", path, size.w, bad)
				}
				continue
			}
			name := strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(strings.Trim(path, "/"))
			keepScreenshot(t, b, "layout-"+name+"-"+size.name)
			if bad := b.eval(overflowing); bad != "" {
				t.Errorf("%s at %d px:\n%s", path, size.w, bad)
			}
		}
	}
}

var (
	workPages  = []string{"/activity", "/board", "/board?kind=requests"}
	adminPages = []string{"/admin/cases/BR", "/admin/cases/BR/contact-types/new", "/admin/cases/BR/classifications/claim",
		"/admin/cases/BR/plans/follow_up"}
)

// The activity list and the board fit a phone and a desktop: nothing past
// the edge, no sideways scroll.
func TestActivityAndBoardFitAPhoneAndADesktop(t *testing.T) { checkPages(t, "adv1", workPages, false) }

// The activity list and the board pass the accessibility check.
func TestActivityAndBoardPassTheAccessibilityCheck(t *testing.T) {
	checkPages(t, "adv1", workPages, true)
}

// The cases' administration fits a phone and a desktop.
func TestCasesAdminFitsAPhoneAndADesktop(t *testing.T) { checkPages(t, "admin", adminPages, false) }

// The cases' administration passes the accessibility check.
func TestCasesAdminPassesTheAccessibilityCheck(t *testing.T) {
	checkPages(t, "admin", adminPages, true)
}
