// Package hotspot answers "Wo bringt KI am meisten?": which municipal
// processes AI helps most, which AI fits each, whether it may and can run,
// and what the law asks (docs/hotspots.md).
//
// Content (read with internal/bundle, municipal overrides by id):
//
//   - LoadCatalogue: the AI task types (bundles/tasktypes: what the AI
//     does, the fit use case that measures it, the assumed saving with its
//     source) and the process catalogue (bundles/processes: typical
//     processes with steps and example figures). Template writes the
//     survey sheet, Readme its explanations.
//
// The survey (Prozess-Erhebung), for the CLI and the GUI alike:
//
//   - ReadSheet / ReadFiles read CSV sheets (';', UTF-8 with or without
//     BOM, Windows-1252) into Process rows; every problem is a *Problem
//     with file, line, column and a hint, as message ids. With problems
//     nothing is returned, so nothing can be stored.
//   - Plan merges sheets with the stored rows without writing (what would
//     be added, updated, and the Conflicts: same id, different figures);
//     Import writes what Plan chose in one transaction and returns the
//     conflicts as data; ImportOptions.Prefer / Replace decide them.
//   - Validate checks one Process (a form) by the sheet's rules; Save,
//     Delete, Get, List store and read the own processes; Examples lists
//     other municipalities' processes (ReadExample / ImportExample: a
//     signed JSON export, verified, kept apart as "Beispiele aus <Kommune>").
//   - SetPassRate records an Erprobung's pass rate (the KI-Test), which
//     joins the measured readiness.
//
// Scoring: Score(processes, Inputs) → Portfolio. Inputs carries the
// catalogue, Params (staff-cost rate and AVV from the cost parameters)
// and Readiness: MeasuredReadiness (this PC's fit verdicts from the
// stored probe, via fit.AssessUseCase) or ReadinessFrom(assessments) when
// the caller has them; FleetReadyShare / UnitShares (the Sammelstelle's
// share of ready PCs per unit) and a process's PassRate join it. Each Hotspot has the hours
// and € (Hours), Umsetzbarkeit with its Parts, the Places it may run, the
// Legal class (internal/aiact, via Process.Facts), the quadrant, the rank,
// and Trace/Next: message ids that say how every figure was computed and
// what to do next. Portfolio.Localize renders them for JSON.
//
// Output: SteckbriefText / SteckbriefHTML / SteckbriefPDF (one hotspot,
// one page), PortfolioHTML / PortfolioPDF (matrix benefit × feasibility as
// inline SVG or drawn, bubble = hours, colour = legal class, with the
// ranked table as text alternative, then every Steckbrief), NewDocument
// (JSON, docs/schema/hotspot-export.schema.json), PortfolioCSV,
// RegisterRecord (Algorithmic Transparency Standard v0.3.1). Render
// gives one export file by format; Export renders, signs with the device
// key (SSHSIG, like reports) and writes it atomically with its .sig.
//
// The Store schema is Schema (component "hotspot"). No GUI code here; the
// Fyne screen "Prozesse" calls these functions.
package hotspot
