// Package cost compares what running AI locally, in a rented cloud, or in
// a mix of both costs a municipality per month and over the horizon
// (3 years by default), finds the break-even volume, and recommends one
// of the three with reasons in plain German, including the criteria that
// decide in public administration besides money: personal data may not
// leave without a data-processing agreement (AVV, Art. 28 DSGVO), work
// must go on without internet, and answers must come fast enough.
//
// The parameters are a YAML bundle (bundles/cost/default.yaml, schema
// docs/schema/cost.schema.json, explained in docs/cost.md) that a
// municipality can override in its data dir; single values can be
// overridden on the command line. The formulas are in docs/cost.md and in
// Compute; the table tests work the figures out by hand.
package cost
