package main

import (
	"fmt"
	"io"

	"qrward/ui"
)

// runGUI opens the window on the replica at path.
func runGUI(path string, stderr io.Writer) int {
	if err := ui.Run(path); err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	return exitOK
}
