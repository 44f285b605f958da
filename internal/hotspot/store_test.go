package hotspot

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ki-reise/kicheck/internal/store"
)

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "kicheck.db"), Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func idsOf(ps []Process) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestImportMergesAndShowsTheConflict(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	sheets, ps := ReadFiles([]string{"testdata/sozialamt-excel.csv", "testdata/buergeramt.csv"}, testTasks)
	if ps != nil {
		t.Fatal(ps)
	}
	res, err := Import(ctx, db, sheets, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != 14 || len(res.Conflicts) != 1 || len(res.Updated) != 0 {
		t.Fatalf("added %v updated %v conflicts %+v", res.Added, res.Updated, res.Conflicts)
	}
	c := res.Conflicts[0]
	if c.ID != "post-01" || c.Stored || c.A.Source.File != "testdata/sozialamt-excel.csv" || c.B.Source.File != "testdata/buergeramt.csv" ||
		len(c.Diffs) != 1 || c.Diffs[0] != (FieldDiff{Column: "minuten_pro_fall", A: "2", B: "3"}) {
		t.Errorf("conflict %+v", c)
	}
	stored, err := List(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 14 {
		t.Fatalf("stored %v", idsOf(stored))
	}
	for _, p := range stored {
		if p.ID == "post-01" {
			t.Error("the conflicting process was stored")
		}
	}
	// The same files again: nothing new, the conflict still shown.
	res, err = Import(ctx, db, sheets, ImportOptions{})
	if err != nil || len(res.Unchanged) != 14 || len(res.Conflicts) != 1 || len(res.Added) != 0 {
		t.Fatalf("again: %+v %v", res, err)
	}
	// Deciding for the Sozialamt's figures stores them.
	res, err = Import(ctx, db, sheets, ImportOptions{Prefer: "testdata/sozialamt-excel.csv"})
	if err != nil || len(res.Conflicts) != 0 || len(res.Added) != 1 || res.Added[0] != "post-01" {
		t.Fatalf("prefer: %+v %v", res, err)
	}
	p, ok, err := Get(ctx, db, "post-01")
	if err != nil || !ok || p.MinutesPerCase != 2 {
		t.Fatalf("post-01 %+v %v %v", p, ok, err)
	}
	// Now the Bürgeramt's sheet conflicts with what is stored.
	ba := sheets[1:]
	res, err = Import(ctx, db, ba, ImportOptions{})
	if err != nil || len(res.Conflicts) != 1 || !res.Conflicts[0].Stored {
		t.Fatalf("against stored: %+v %v", res, err)
	}
	if p, _, _ := Get(ctx, db, "post-01"); p.MinutesPerCase != 2 {
		t.Error("a conflict overwrote the stored process")
	}
}

func TestCorrectedSheetOfTheSameDepartmentUpdates(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "amt.csv")
	write := func(minutes string) []*Sheet {
		if err := os.WriteFile(path, []byte(goodHeader+"\n"+"a-1;A;Amt;;100;"+minutes+";50;klassifizieren;intern;vorbereitend;keiner;nein;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		sh, ps := ReadFiles([]string{path}, testTasks)
		if ps != nil {
			t.Fatal(ps)
		}
		return sh
	}
	if _, err := Import(ctx, db, write("10"), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := Import(ctx, db, write("12"), ImportOptions{})
	if err != nil || len(res.Updated) != 1 || len(res.Conflicts) != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if p, _, _ := Get(ctx, db, "a-1"); p.MinutesPerCase != 12 {
		t.Errorf("minutes %v", p.MinutesPerCase)
	}
}

func TestBadSheetStoresNothing(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	good, ps := ReadFiles([]string{"testdata/buergeramt.csv"}, testTasks)
	if ps != nil {
		t.Fatal(ps)
	}
	if _, err := Import(ctx, db, good, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before, _ := List(ctx, db)
	bad := filepath.Join(t.TempDir(), "kaputt.csv")
	if err := os.WriteFile(bad, []byte(goodHeader+"\nba-01;Neu;Amt;;-3;1;1;klassifizieren;intern;vorbereitend;keiner;nein;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A good file and a bad one: the bad one's problem is reported and
	// neither is read into sheets, so nothing can be stored.
	sheets, ps := ReadFiles([]string{"testdata/sozialamt-excel.csv", bad}, testTasks)
	if sheets != nil || len(ps) != 1 || ps[0].File != bad || ps[0].Line != 2 || ps[0].Name != "faelle_pro_jahr" {
		t.Fatalf("sheets %v problems %v", sheets, ps)
	}
	after, _ := List(ctx, db)
	if len(after) != len(before) {
		t.Fatalf("stored changed: %v → %v", idsOf(before), idsOf(after))
	}
}

func TestSaveValidatesLikeASheet(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	p := Process{ID: "f-1", Name: "Formular", Unit: "Amt", CasesPerYear: 10, MinutesPerCase: 500, TextSharePercent: 10,
		Task: "klassifizieren", DataClass: "intern", Effect: "vorbereitend", Area: "keiner"}
	ps, err := Save(ctx, db, p, testTasks)
	if err != nil || len(ps) != 1 || ps[0].Name != "minuten_pro_fall" || ps[0].Msg.ID != "hotspot.err.absurd_minutes" {
		t.Fatalf("%v %v", ps, err)
	}
	p.MinutesPerCase = 5
	if ps, err := Save(ctx, db, p, testTasks); ps != nil || err != nil {
		t.Fatalf("%v %v", ps, err)
	}
	rate := 0.8
	if err := SetPassRate(ctx, db, "f-1", &rate); err != nil {
		t.Fatal(err)
	}
	got, ok, err := Get(ctx, db, "f-1")
	if err != nil || !ok || got.PassRate == nil || *got.PassRate != 0.8 || got.Source.File != "Formular" {
		t.Fatalf("%+v %v %v", got, ok, err)
	}
	if ok, err := Delete(ctx, db, "f-1"); !ok || err != nil {
		t.Fatal(ok, err)
	}
}
