package main

import "github.com/ki-reise/kicheck/internal/store"

// allSchemas lists every capability's database part, so commands that
// look at the whole database (info) bring it fully up to date.
func allSchemas() []store.Schema { return nil }
