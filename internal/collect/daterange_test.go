package collect

import (
	"context"
	"testing"
	"time"
)

// DataRange gives the oldest and newest of the devices' newest reports:
// an older report of a device with a newer one does not count. Runs on
// both stores (storeSuite).
func TestDataRange(t *testing.T) {
	db := openDB(t)
	from, to, err := DataRange(context.Background(), db)
	if err != nil || !from.IsZero() || !to.IsZero() {
		t.Fatalf("empty: %v %v %v", from, to, err)
	}
	in := NewIntake(db, Trust{Enroll: true})
	a, b := newKey(t), newKey(t)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) }
	var items []Item
	for _, r := range []struct {
		key  int
		when time.Time
	}{{0, day(2)}, {0, day(10)}, {1, day(5)}} {
		k := a
		if r.key == 1 {
			k = b
		}
		data, sig := makeReport(t, k, spec{created: r.when})
		items = append(items, Item{Source: "t", Data: data, Sig: sig})
	}
	if sum := runItems(t, in, items...); sum.Accepted != 3 {
		t.Fatalf("%+v", sum)
	}
	from, to, err = DataRange(context.Background(), db)
	if err != nil || !from.Equal(day(5)) || !to.Equal(day(10)) {
		t.Fatalf("range %v – %v, %v", from, to, err)
	}
}
