package hcn

// EditLocksHeld returns the number of entries in the process-wide edit
// lock table: zero whenever no edit runs.
func EditLocksHeld() int { return editLocks.len() }
