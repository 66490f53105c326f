package party

// Phase is a step of an import's end, after its rows are written, told to
// its progress callback so that whoever waits knows what a long end does.
type Phase string

const (
	// PhaseIndexes: the indexes a large import deferred are built again and
	// the name index rows it staged are merged (minutes at millions of rows).
	PhaseIndexes Phase = "indexes"
	// PhaseStatistics: the planner statistics of the tables are refreshed
	// (PostgreSQL, after a thousand rows or more).
	PhaseStatistics Phase = "statistics"
)

// Step is where an import stands.
type Step struct {
	Rows  int   // rows read so far
	Phase Phase // "" while rows are read and written; then the phase that begins
}

// Progress is told where an import stands: after each batch of rows, then
// as each phase of its end begins. nil is told nothing.
type Progress func(Step)

// rows tells p that n rows were read.
func (p Progress) rows(n int) {
	if p != nil {
		p(Step{Rows: n})
	}
}

// phase tells p that ph begins, after n rows.
func (p Progress) phase(n int, ph Phase) {
	if p != nil {
		p(Step{Rows: n, Phase: ph})
	}
}
