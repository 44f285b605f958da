// Package axetest runs axe-core (WCAG 2.0/2.1 A and AA rules) in the real,
// system Chromium on HTML pages for tests of other packages, through
// scripts/a11y/axe.mjs (puppeteer-core, pinned in scripts/a11y/package.json;
// scripts/deps.sh test installs Chromium, Node.js and the npm packages).
//
// When Chromium, Node.js or the npm packages are missing, the tests that
// need them are skipped with a message, unless KICHECK_REQUIRE_A11Y=1 (set
// by `make test`) or $CI is set: then they fail.
//
//	res := axetest.Check(t, map[string][]byte{"report-de.html": page})
//	axetest.RequireClean(t, res)
package axetest
