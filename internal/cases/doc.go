// Package cases is where agents act on a customer's file: they trace a
// contact (the GRC "contact": one exchange, its template applied, written
// to the party's timeline as an interaction), turn it into a case or move
// it into one, run the case's process step by step, and launch action
// plans whose steps become tasks with due dates in business days. The
// activity list gathers an agent's tasks; the kanban board (package board)
// shows cases and requests by status.
//
// Every read and write goes through the actor's scope: a contact, a case
// or a task belongs to a unit, and an agent sees those of the units in
// their scope. Definitions (contact types, case classifications, action
// plans) belong to an establishment and are kept by administrators.
package cases
