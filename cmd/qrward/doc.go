// Command qrward is the ward office application: with no arguments it
// opens the window; with a subcommand it works headless for scripts, batch
// jobs and checks. Both faces call the same data, scan and reports code.
package main
