package collect

import (
	"os"
	"testing"

	"github.com/ki-reise/kicheck/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// storeSuite is every collect test that works on a central database. Run
// as they are, they use SQLite (the default store); TestPostgres runs the
// same functions again on PostgreSQL: openDB sees the test's name and
// opens a fresh database on a private cluster (internal/pgtest). Left
// out: what only SQLite has (a full SQLite file, its migrations from
// version 1, the demo file for the screenshots).
var storeSuite = []struct {
	name string
	test func(*testing.T)
}{
	{"IntakeAcceptsDuplicatesAndHistory", TestIntakeAcceptsDuplicatesAndHistory},
	{"IntakeRejectsBadReportsAndKeepsStoredOnes", TestIntakeRejectsBadReportsAndKeepsStoredOnes},
	{"IntakeTrust", TestIntakeTrust},
	{"WalkFoldersAndZip", TestWalkFoldersAndZip},
	{"ZipRefusals", TestZipRefusals},
	{"GeneratedReportsVerifyWithSSHKeygen", TestGeneratedReportsVerifyWithSSHKeygen},
	{"RunCancelledKeepsStored", TestRunCancelledKeepsStored},
	{"StoredReportIsTheSignedBytes", TestStoredReportIsTheSignedBytes},
	{"RealCheckReportsBothVersions", TestRealCheckReportsBothVersions},
	{"CountsMatchRecount", TestCountsMatchRecount},
	{"Fleet", TestFleet},
	{"FleetHTMLAndCSV", TestFleetHTMLAndCSV},
	{"FleetEmpty", TestFleetEmpty},
	{"BucketKeysAndLabels", TestBucketKeysAndLabels},
	{"GLPIExportValidatesAgainstFormat", TestGLPIExportValidatesAgainstFormat},
	{"GLPIExportRichInventory", TestGLPIExportRichInventory},
	{"GLPIExport", TestGLPIExport},
	{"GLPISchemaRejects", TestGLPISchemaRejects},
	{"GLPIExtraProperty", TestGLPIExtraProperty},
	{"ArchiveReadEntryByEntry", TestArchiveReadEntryByEntry},
	{"NestedZipReported", TestNestedZipReported},
	{"FIFOAndLinkedSignatureRefused", TestFIFOAndLinkedSignatureRefused},
	{"ControlCharactersEscapedInTheLog", TestControlCharactersEscapedInTheLog},
	{"ControlCharactersInFileNames", TestControlCharactersInFileNames},
	{"FutureReportDoesNotPinDevice", TestFutureReportDoesNotPinDevice},
	{"TokenBoundToUnit", TestTokenBoundToUnit},
	{"ClientDisconnectLogged", TestClientDisconnectLogged},
	{"IntakeMessagesInBothLanguages", TestIntakeMessagesInBothLanguages},
	{"ServerAnswersInTheRequestLanguage", TestServerAnswersInTheRequestLanguage},
	{"RefusedArchivesInBothLanguages", TestRefusedArchivesInBothLanguages},
	{"ServerUpload", TestServerUpload},
	{"ServerRateLimit", TestServerRateLimit},
	{"ServerSlowBody", TestServerSlowBody},
	{"ServerLoad", TestServerLoad},
	{"FleetHTMLAccessible", TestFleetHTMLAccessible},
	{"DataRange", TestDataRange}, // internal/aggregate
}

// TestPostgres runs storeSuite on PostgreSQL (the SQLite run is the
// tests' own).
func TestPostgres(t *testing.T) {
	pgtest.Shared(t) // skip (or fail with KICHECK_REQUIRE_POSTGRES=1) once, not per test
	for _, tc := range storeSuite {
		t.Run(tc.name, tc.test)
	}
}
