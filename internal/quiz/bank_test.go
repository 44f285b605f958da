package quiz

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/ki-reise/kicheck/internal/store"
)

func openBank(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), store.FileName), Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStoreBundle(t *testing.T) {
	ctx := context.Background()
	db := openBank(t)
	b, err := LoadBundleFile("testdata/all-types.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sb, created, err := StoreBundle(ctx, db, b, "testdata/all-types.yaml", "yaml")
	if err != nil || !created {
		t.Fatalf("store: %v created=%v", err, created)
	}
	if sb.Questions != 9 || sb.Types[SelfRating] != 1 || sb.Types[Single] != 1 {
		t.Errorf("stored %+v", sb)
	}
	// The same content again: nothing changes.
	b2, _ := LoadBundleFile("testdata/all-types.yaml")
	if _, created, err := StoreBundle(ctx, db, b2, "again", "yaml"); err != nil || created {
		t.Fatalf("re-import: %v created=%v", err, created)
	}
	// Same version, other content: refused with a hint, bank unchanged.
	b2.Questions[0].Text = "geändert"
	_, _, err = StoreBundle(ctx, db, b2, "changed", "yaml")
	var be *BankError
	if !errors.Is(err, ErrVersionExists) || !errors.As(err, &be) || be.Hint() == "" {
		t.Fatalf("changed content: %v", err)
	}
	// A new version is kept beside the old one.
	b2.Version = "1.1.0"
	if _, created, err := StoreBundle(ctx, db, b2, "v2", "yaml"); err != nil || !created {
		t.Fatalf("new version: %v", err)
	}
	all, err := ListBundles(ctx, db)
	if err != nil || len(all) != 2 {
		t.Fatalf("list: %v %+v", err, all)
	}
	cur, err := CurrentBundle(ctx, db, "beispiel")
	if err != nil || cur.Version != "1.1.0" {
		t.Fatalf("current %+v %v", cur, err)
	}
	back, err := LoadBundle(ctx, db, sb)
	if err != nil {
		t.Fatal(err)
	}
	assertSameQuestions(t, b.Questions, back.Questions)
	sqs, err := BundleQuestions(ctx, db, cur)
	if err != nil || len(sqs) != 9 || sqs[0].Text != "geändert" {
		t.Fatalf("questions of 1.1.0: %v", err)
	}
	one, err := QuestionByPK(ctx, db, sqs[3].PK)
	if err != nil || one.ID != "b-short" || one.Version != "1.1.0" {
		t.Fatalf("by pk: %+v %v", one, err)
	}
	var runs int
	db.QueryRow(`SELECT COUNT(*) FROM runs WHERE kind = ? AND status = 'done'`, RunKind).Scan(&runs)
	if runs != 2 {
		t.Errorf("%d import runs recorded, want 2", runs)
	}
	if _, err := CurrentBundle(ctx, db, "nope"); !errors.Is(err, ErrBundleNotFound) {
		t.Errorf("unknown bundle: %v", err)
	}
}

func TestStoreGIFTAssignsIDs(t *testing.T) {
	ctx := context.Background()
	db := openBank(t)
	qs, errs := ParseGIFT("Moodle Docs.gift", readTestdata(t, "moodle-docs.gift"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	b := BundleFromQuestions("/tmp/Moodle Docs.gift", "", "", "", qs)
	if b.ID != "moodle-docs" || len(b.Version) != 10 {
		t.Fatalf("bundle %s %s", b.ID, b.Version)
	}
	sb, _, err := StoreBundle(ctx, db, b, "Moodle Docs.gift", "gift")
	if err != nil {
		t.Fatal(err)
	}
	sqs, _ := BundleQuestions(ctx, db, sb)
	ids := map[string]bool{}
	for _, q := range sqs {
		if q.ID == "" || ids[q.ID] {
			t.Fatalf("id %q empty or repeated", q.ID)
		}
		ids[q.ID] = true
	}
	if !ids["moodle-docs-001"] || !ids["fmt-1"] || !ids["cat-1"] {
		t.Errorf("ids %v", ids)
	}
	var tags int
	db.QueryRow(`SELECT COUNT(*) FROM quiz_question_tags WHERE tag = 'formats'`).Scan(&tags)
	if tags != 1 {
		t.Errorf("tag rows %d", tags)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"KI-Grundlagen": "ki-grundlagen", "Datenschutz & KI-Verordnung": "datenschutz-ki-verordnung", "Übung 1": "uebung-1", "***": "fragen"} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}
