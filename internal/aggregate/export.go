package aggregate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ki-reise/kicheck/internal/atomicfile"
	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/store"
)

// Export is a written summary: the document, its bytes and signature.
type Export struct {
	Doc       *Document
	Data, Sig []byte
}

// Merged counts the groups of d that join several buckets.
func (d *Document) Merged() int {
	n := 0
	count := func(gs []Group) {
		for _, g := range gs {
			if g.Merged() {
				n++
			}
		}
	}
	count(d.Overall)
	count(d.RAM)
	count(d.VRAM)
	count(d.Upgrade)
	for _, r := range append(append([]Row{}, d.UseCases...), d.Models...) {
		count(r.Levels)
	}
	return n
}

// BuildSigned reads the fleet of the central database cdb (either store)
// and the quiz results per role of the data folder's database qdb (nil:
// none), builds the document and signs its bytes with key.
func BuildSigned(ctx context.Context, cdb collect.Store, qdb *store.DB, key *signing.Key, in Inputs) (*Export, error) {
	f, err := collect.ComputeFleet(ctx, cdb, collect.FleetOptions{Now: in.Now})
	if err != nil {
		return nil, err
	}
	if in.From, in.To, err = collect.DataRange(ctx, cdb); err != nil {
		return nil, err
	}
	if qdb != nil {
		if in.QuizRoles, err = QuizRolesOf(ctx, qdb); err != nil {
			return nil, err
		}
	}
	d, err := Build(f, in)
	if err != nil {
		return nil, err
	}
	data, err := d.JSON()
	if err != nil {
		return nil, err
	}
	sig, err := key.Sign(data)
	if err != nil {
		return nil, err
	}
	return &Export{Doc: d, Data: data, Sig: sig}, nil
}

// WriteFiles writes path and path.sig, each atomically.
func (e *Export) WriteFiles(path string) error {
	if err := atomicfile.Write(path, e.Data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := atomicfile.Write(path+".sig", e.Sig, 0o644); err != nil {
		return fmt.Errorf("write %s.sig: %w", path, err)
	}
	return nil
}

// AllowedSignersLine is the line the Land puts into its allowed_signers
// file to accept this municipality's files signed with pub.
func AllowedSignersLine(ags string, key *signing.Key) string {
	return fmt.Sprintf("%s namespaces=%q %s", ags, signing.Namespace, signing.AuthorizedKey(key.Public()))
}

// Files expands paths for the intake: a file stays, a folder gives its
// *.json files (not recursive), sorted.
func Files(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("aggregates: %w", err)
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		es, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("aggregates: %w", err)
		}
		var in []string
		for _, e := range es {
			if !e.IsDir() && strings.HasSuffix(strings.ToLower(e.Name()), ".json") {
				in = append(in, filepath.Join(p, e.Name()))
			}
		}
		sort.Strings(in)
		out = append(out, in...)
	}
	return out, nil
}

// OpenLand opens (or creates) a Land database.
func OpenLand(ctx context.Context, path string) (*store.DB, error) {
	return store.Open(ctx, path, Schema)
}
