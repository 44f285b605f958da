package collect

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestCountsMatchRecount: the counters the intake keeps batch by batch,
// with reports of the same device arriving out of order (older ones after
// newer ones, replays in between), equal a count from scratch.
func TestCountsMatchRecount(t *testing.T) {
	items := signedCorpus(t, 80) // 20 devices, 4 reports each
	rng := rand.New(rand.NewPCG(7, 8))
	rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	items = append(items, items[3], items[10]) // replays
	db := openDB(t)
	in := NewIntake(db, Trust{Enroll: true})
	ctx := context.Background()
	for start := 0; start < len(items); start += 7 {
		ch := make(chan Item, 7)
		for _, it := range items[start:min(start+7, len(items))] {
			ch <- it
		}
		close(ch)
		if _, err := in.Run(ctx, ch, Options{Batch: 3}); err != nil {
			t.Fatal(err)
		}
		compareCounts(t, db, start)
	}
	if err := RebuildCounts(ctx, db); err != nil {
		t.Fatal(err)
	}
	compareCounts(t, db, -1)
	f, err := ComputeFleet(ctx, db, FleetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Every report is judged with the embedded catalogue's use cases.
	if f.Devices != 20 || f.Reports != 80 || len(f.UseCases) != len(catalogue().UseCases) || len(f.Models) < 5 || f.Upgrade.WithoutFitData != 0 {
		t.Fatalf("fleet: %d devices %d reports %d use cases %d models %+v", f.Devices, f.Reports, len(f.UseCases), len(f.Models), f.Upgrade)
	}
}

func compareCounts(t *testing.T, sdb testDB, step int) {
	t.Helper()
	base := sdb.sqlBase()
	tx, err := base.db.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	kept, err := base.readCounts(context.Background(), tx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := base.recount(context.Background(), tx)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range want {
		if v.n == 0 {
			delete(want, k)
		}
	}
	if len(kept) != len(want) {
		t.Errorf("after batch %d: %d counters kept, %d counted", step, len(kept), len(want))
	}
	for k, w := range want {
		g := kept[k]
		if g.n != w.n || math.Abs(g.total-w.total) > 1e-6 {
			t.Errorf("after batch %d: %v = %+v, counted %+v", step, k, g, w)
		}
	}
}
