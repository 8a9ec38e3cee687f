// Package hubtest starts a real throwaway PostgreSQL for tests: a cluster
// initialised in a temp dir, listening on a free loopback port, removed at
// the end. As root it runs the server as the "postgres" system user
// (PostgreSQL refuses to run as root).
package hubtest
