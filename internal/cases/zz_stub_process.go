package cases

// TEMPORARY until the process branch is merged (process.go defines them).

func (p Process) Initial() Status {
	if len(p.Statuses) == 0 {
		return Status{}
	}
	return p.Statuses[0]
}

func (p Process) Status(code string) (Status, bool) {
	for _, s := range p.Statuses {
		if s.Code == code {
			return s, true
		}
	}
	return Status{}, false
}
