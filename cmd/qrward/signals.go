package main

import (
	"context"
	"os"
	"os/signal"
)

// ctxWithInterrupt is cancelled by Ctrl-C, so long jobs roll back cleanly
// instead of dying half-way.
func ctxWithInterrupt() context.Context {
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt)
	return ctx
}
