// Package offers analyses the learning offers that already exist (phase 1
// of the KI-Reise): it imports course catalogues in the MOOChub v3 format
// (files, or URLs when the user allows network access) and simple CSV
// lists of offers that exist only on paper, stores them in SQLite with
// their source, date and history (schema "offers"), maps each offer to the
// competency areas of the framework in use and to DigComp 2.2 competences
// (from the feed's teaches, else as proposals from matching its text
// against each area's descriptors, which a trainer confirms), computes the
// coverage per area, level and role with the gaps where no offer exists,
// assigns offers (or "eigene Schulung") to the modules of the training
// catalogue, and exports the catalogue as MOOChub v3 and the learning
// paths and coverage as JSON and CSV (docs/moochub.md).
package offers
