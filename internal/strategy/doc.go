// Package strategy writes the AI strategy ("KI-Strategie der <Kommune>")
// from the municipality's own data in KI-Check: goals, the top hotspots of
// the process portfolio (internal/hotspot), the infrastructure decision
// from the fleet readiness (internal/collect, or this PC's fit) and the
// cost comparison (internal/cost), the qualification plan (learning paths
// and staff per role from the quiz sessions), governance (the AI policy,
// internal/policy) and a timeline with the legal dates.
//
// Every figure is a Figure with its value and its source in the app (the
// command that shows the same figure), so a reader can check it, and a
// test compares them with the app's own output. Build returns the
// figures and an internal/document.Document (ODT, PDF, Markdown).
package strategy
