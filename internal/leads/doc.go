// Package leads is the commercial follow-up of prospects' requests: a lead
// arrives through the API or a public web form, is matched to a party (or
// creates a prospect), is routed by its establishment's rules to a unit and
// by round-robin to one of the unit's available agents, who is alerted as
// they chose, only then. The first completed human activity on the lead is
// its response; the delay, counted in the unit's business time from the
// lead's receipt (or the next opening), is kept on the lead and feeds the
// response-time report and the dashboard.
//
// Every read and write goes through the actor's scope: a lead belongs to
// the unit it was routed to.
package leads
