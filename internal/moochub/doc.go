// Package moochub reads and writes course catalogues in the MOOChub
// format, version 3 (docs/moochub.md): a JSON:API document whose top level
// has "links" (self, first, last, next, prev: pagination) and "data" (the
// courses, each {"id", "type": "Course", "attributes": {…}}).
//
// Parse reads one page from bytes with a size cap and validates it against
// docs/schema/moochub.schema.json (written from the format description,
// see the doc) plus checks the schema cannot express; every problem names
// the source and the JSON path. Fetch follows links.next over HTTP with a
// page limit, a size cap per page and loop detection, and returns the
// pages read before a failure together with the error. Write produces a
// document that validates against the same schema.
//
// Descriptions in feeds are HTML; PlainText turns them into text that is
// shown, never rendered.
package moochub
