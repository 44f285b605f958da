// Package aiact classifies one use of AI in a municipal process under the
// EU AI Act (Regulation (EU) 2024/1689 as amended by the Digital Omnibus on
// AI, 2026) and names the duties that follow from it and from the German
// and data-protection rules beside it (DSGVO, § 35a VwVfG, staff council).
//
// The only legal source is the short reference
// shared/recht/ki-verordnung-kurzreferenz.md, Stand 2026-12-04 (constant
// Stand). An article is cited only for what that reference says; what it
// does not say is marked "zu prüfen" or left for the municipality to fill
// in ("von der Kommune einzutragen").
//
// Classify takes Facts (what the AI does in the process) and returns a
// Result: the class (verboten, hochrisiko, transparenz, minimal), the legal
// basis, the duties with the date from which they apply, and notes. Every
// text is a message id (i18n.Msg), rendered late in the user's language;
// Localize and WriteText do that. Questions returns the plain-language
// questions a survey asks to find the Facts, with the mapping from each
// answer to the Facts as data. The procedure is documented as a decision
// table in docs/aiact.md.
package aiact
