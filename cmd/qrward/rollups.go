package main

func init() {
	register(command{name: "rollups rebuild", summary: "cli.rollups.summary", run: runRollupsRebuild})
}

// runRollupsRebuild recounts the rollup tables (after a venue moved ward,
// or to check the triggers against the rows).
func runRollupsRebuild(e *env, args []string) error {
	fs := e.flags("rollups rebuild", "cli.rollups.usage", false)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	took, err := s.RebuildRollups(ctxWithInterrupt())
	if err != nil {
		return err
	}
	e.say("cli.rollups.done", took.Round(1e6))
	return nil
}
