// Package aggregate is the Land's (or a district's) view of many
// municipalities' fleets without their devices: a municipality exports a
// signed summary of its central collection (counts per verdict, use case,
// model, memory and graphics memory size, the upgrade table, quiz results
// per staff role, the date range of the data), with every group of fewer
// than MinBucket devices merged into its neighbour or left out, so no
// device can be singled out; the Land takes such files into its own
// database (verified against the municipalities' keys, all or nothing)
// and shows readiness per municipality and in total.
//
// The file format is specified in docs/aggregate.md and
// docs/schema/aggregate.schema.json. The package reads the municipality's
// fleet through collect (ComputeFleet, DataRange) and its quiz sessions
// through quizsession; the Land's part of a database is the component
// "aggregate" (Schema), kept behind the small LandStore interface so a
// second store can implement it.
package aggregate
