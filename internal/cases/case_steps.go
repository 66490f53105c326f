package cases

// NextSteps lists the steps of its classification's process the case may
// take from its status, in the process's order.
func (c Case) NextSteps() []Step { return c.Process.StepsFrom(c.Status) }
