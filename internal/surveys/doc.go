// Package surveys sends satisfaction surveys after exchanges and keeps
// their answers: campaigns per establishment (which exchanges trigger one,
// after what delay, on which channel, with which questions and texts), the
// three-month rule (one survey per customer and establishment in three
// months, a skip counted with its reason), the signed single-use answer
// link, and the reads that keep anonymous answers anonymous: an answer
// names its customer only when the customer chose to be identified, and
// figures are shown only over MinAnswers answers.
package surveys
