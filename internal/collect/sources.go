package collect

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/sync/semaphore"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/textfile"
)

// Limits on what the intake reads from files and archives. A report is a
// few tens of kilobytes; the caps keep a hostile file or archive from
// exhausting memory or disk.
const (
	// MaxSigSize caps a signature file (an armored SSHSIG is under 4 KiB).
	MaxSigSize = 16 << 10
	// MaxArchiveTotal caps the sum of the uncompressed sizes in one ZIP.
	MaxArchiveTotal = 4 << 30
	// MaxArchiveEntries caps the number of entries in one ZIP.
	MaxArchiveEntries = 500_000
	// MaxCompressionRatio caps uncompressed/compressed per entry; JSON
	// reports compress about 4-8 to 1, a zip bomb by 1000 to 1 and more.
	MaxCompressionRatio = 100
)

// MemoryBudget bounds the report bytes one Walk holds at once: read
// from files or archive entries and not yet verified and handed to the
// store. The walker waits for room before it reads the next report, so an
// archive of hundreds of reports at the size cap costs this much memory,
// not its uncompressed size. Real reports are tens of kilobytes, so the
// budget holds about a thousand of them and never slows a normal intake.
const MemoryBudget = 32 << 20

// budget is the memory budget of one walk.
type budget struct{ sem *semaphore.Weighted }

func newBudget() *budget { return &budget{sem: semaphore.NewWeighted(MemoryBudget)} }

// take waits for n bytes (at most the whole budget) and returns the
// function that gives them back; it fails only when ctx is cancelled.
func (b *budget) take(ctx context.Context, n int64) (func(), error) {
	n = min(max(n, 1), MemoryBudget)
	if err := b.sem.Acquire(ctx, n); err != nil {
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(func() { b.sem.Release(n) }) }, nil
}

// Walk sends one Item per report found under paths: a folder (searched
// recursively; a network share is a folder), a ZIP file, or a single
// NAME.json. A report is NAME.json with its signature NAME.json.sig beside
// it. Unreadable files, refused archives and files that are no regular
// files (a named pipe, a link) become items with Err set. Reports are
// read one at a time as the intake takes them, within MemoryBudget.
// It closes items when done or when ctx is cancelled.
func Walk(ctx context.Context, paths []string, items chan<- Item) {
	defer close(items)
	b := newBudget()
	send := func(it Item) bool {
		select {
		case items <- it:
			return true
		case <-ctx.Done():
			it.Done()
			return false
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			if !send(Item{Source: p, Err: readError("intake.read.cannot_read", nil, err)}) {
				return
			}
			continue
		}
		switch {
		case fi.IsDir():
			err := filepath.WalkDir(p, func(name string, d fs.DirEntry, err error) error {
				if err != nil {
					if !send(Item{Source: name, Err: readError("intake.read.cannot_read", nil, err)}) {
						return ctx.Err()
					}
					return nil
				}
				if d.IsDir() || !(isZip(name) || isReport(name)) {
					return nil
				}
				if !d.Type().IsRegular() {
					// A link, a named pipe or a device named like a
					// report is said, not followed or opened.
					if !send(Item{Source: name, Err: readError("intake.read.cannot_read", nil, notRegular(name))}) {
						return ctx.Err()
					}
					return nil
				}
				if isZip(name) {
					if !walkZip(ctx, name, b, send) {
						return ctx.Err()
					}
					return nil
				}
				if !send(readItem(ctx, b, name)) {
					return ctx.Err()
				}
				return nil
			})
			if err != nil {
				return
			}
		case isZip(p):
			if !walkZip(ctx, p, b, send) {
				return
			}
		default:
			if !send(readItem(ctx, b, strings.TrimSuffix(p, ".sig"))) {
				return
			}
		}
	}
}

func isReport(name string) bool { return strings.HasSuffix(strings.ToLower(name), ".json") }
func isZip(name string) bool    { return strings.HasSuffix(strings.ToLower(name), ".zip") }

// notRegular is the error for a directory entry that is no regular file.
func notRegular(name string) error {
	f, _, err := textfile.Open(name)
	if err == nil {
		f.Close() // it became a regular file meanwhile; still skipped
		err = textfile.ErrNotRegular
	}
	return err
}

// readItem reads a report and its signature within the budget.
func readItem(ctx context.Context, b *budget, name string) Item {
	want := int64(report.MaxSize)
	if fi, err := os.Lstat(name); err == nil && fi.Mode().IsRegular() {
		want = min(fi.Size(), report.MaxSize)
	}
	release, err := b.take(ctx, want+MaxSigSize)
	if err != nil {
		return Item{Source: name, Err: readError("intake.read.cannot_read", nil, err)}
	}
	data, sig, err := report.ReadFiles(name)
	if err != nil {
		release()
		return Item{Source: name, Err: readError("intake.read.cannot_read", nil, err)}
	}
	return Item{Source: name, Data: data, Sig: sig, release: release}
}

// readError is a file or archive entry the intake cannot read or refuses:
// message id "intake.read.*" with its values, the technical cause after it.
func readError(id string, data map[string]any, cause error) error {
	return &textError{msg: i18n.Msg{ID: id, Data: data}, cause: cause}
}

// ArchiveError is a ZIP file the intake refuses as a whole. Error is
// English; Text renders it for people.
type ArchiveError struct {
	Path string
	Err  error
}

func (e *ArchiveError) Error() string { return e.Text("en") }
func (e *ArchiveError) Unwrap() error { return e.Err }

// Text renders the error in lang.
func (e *ArchiveError) Text(lang string) string {
	detail := e.Err.Error()
	var t i18n.Texter
	if errors.As(e.Err, &t) {
		detail = t.Text(lang)
	}
	return i18n.T(lang, "intake.read.archive", map[string]any{"Path": e.Path, "Detail": detail})
}

// walkZip sends the reports in a ZIP file, one entry at a time as the
// budget allows. The archive is refused as a whole when an entry name
// leaves the archive (absolute, "..", a drive or backslashes), when it has
// too many entries, or when the declared sizes add up to more than
// MaxArchiveTotal. A single entry is refused when it is larger than a
// report may be or compressed more than MaxCompressionRatio to 1; sizes
// are enforced while reading, so a lying header does not help. A ZIP
// inside the ZIP is reported, not opened. Nothing is extracted to disk.
func walkZip(ctx context.Context, name string, b *budget, send func(Item) bool) bool {
	zr, err := zip.OpenReader(name)
	if errors.Is(err, zip.ErrInsecurePath) {
		// With GODEBUG=zipinsecurepath=0 the library refuses such names
		// itself; the message stays the same as ours.
		if zr != nil {
			zr.Close()
		}
		return send(Item{Source: name, Err: &ArchiveError{Path: name, Err: readError("intake.read.traversal", nil, nil)}})
	}
	if err != nil {
		return send(Item{Source: name, Err: &ArchiveError{Path: name, Err: err}})
	}
	defer zr.Close()
	if err := checkArchive(name, &zr.Reader); err != nil {
		return send(Item{Source: name, Err: err})
	}
	size := int64(0)
	if fi, err := os.Stat(name); err == nil {
		size = fi.Size()
	}
	return zipEntries(ctx, name, &zr.Reader, size, b, send) && ctx.Err() == nil
}

// checkArchive refuses an archive as a whole from its directory: too many
// entries, a name leaving the archive, too much in total.
func checkArchive(name string, zr *zip.Reader) error {
	if len(zr.File) > MaxArchiveEntries {
		return &ArchiveError{Path: name, Err: readError("intake.read.entries", map[string]any{"Count": i18n.Int(len(zr.File)), "Max": i18n.Int(MaxArchiveEntries)}, nil)}
	}
	var total uint64
	for _, f := range zr.File {
		if !safeEntryName(f.Name) {
			return &ArchiveError{Path: name, Err: readError("intake.read.traversal_entry", map[string]any{"Name": fmt.Sprintf("%q", f.Name)}, nil)}
		}
		total += f.UncompressedSize64
		if total > MaxArchiveTotal {
			return &ArchiveError{Path: name, Err: readError("intake.read.total", map[string]any{"GiB": MaxArchiveTotal >> 30}, nil)}
		}
	}
	return nil
}

// zipEntries sends the reports of an archive checkArchive accepted, one
// at a time: each entry is read only when the budget has room for it.
// size is the archive's size in bytes: no entry can hold more than
// MaxCompressionRatio times that. It returns false when send did not take
// an item (the walk is cancelled).
func zipEntries(ctx context.Context, name string, zr *zip.Reader, size int64, b *budget, send func(Item) bool) bool {
	byName := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		byName[f.Name] = f
	}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		source := name + "!" + f.Name
		if isZip(f.Name) {
			if !send(Item{Source: source, Err: readError("intake.read.nested", nil, nil)}) {
				return false
			}
			continue
		}
		if !isReport(f.Name) {
			continue
		}
		sf := byName[f.Name+".sig"]
		want := entryHint(f, size, report.MaxSize)
		if sf != nil {
			want += entryHint(sf, size, MaxSigSize)
		}
		release, err := b.take(ctx, want)
		if err != nil {
			return false
		}
		it := Item{Source: source, release: release}
		if it.Data, err = readEntry(f, size, report.MaxSize); err != nil {
			it = Item{Source: source, Err: err}
		} else if sf != nil {
			if it.Sig, err = readEntry(sf, size, MaxSigSize); err != nil {
				it = Item{Source: source, Err: readError("intake.read.signature", nil, err)}
			}
		}
		if it.Err != nil {
			release()
		}
		if !send(it) {
			return false
		}
	}
	return true
}

// errEntryTooLarge is an entry over the size cap.
var errEntryTooLarge = errors.New("entry too large")

// readEntry reads one entry with the size and ratio caps. It reads at most
// limit+1 bytes whatever the header claims.
func readEntry(f *zip.File, archiveSize, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, &textError{msg: i18n.Msg{ID: "intake.read.entry_too_large", Data: map[string]any{"Size": i18n.Int(f.UncompressedSize64), "Max": i18n.Int(limit)}}, kind: errEntryTooLarge}
	}
	if f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > MaxCompressionRatio {
		return nil, readError("intake.read.zip_bomb", map[string]any{"Ratio": i18n.Int(f.UncompressedSize64 / f.CompressedSize64), "Max": MaxCompressionRatio}, nil)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, readError("intake.read.cannot_read_entry", nil, err)
	}
	defer rc.Close()
	b, err := textfile.ReadUpTo(rc, entryHint(f, archiveSize, limit), limit)
	if err != nil {
		return nil, readError("intake.read.cannot_read_entry", nil, err)
	}
	n := int64(len(b))
	if n > limit {
		return nil, &textError{msg: i18n.Msg{ID: "intake.read.entry_over", Data: map[string]any{"Max": i18n.Int(limit)}}, kind: errEntryTooLarge}
	}
	if f.CompressedSize64 > 0 && uint64(n)/f.CompressedSize64 > MaxCompressionRatio {
		return nil, readError("intake.read.zip_bomb", map[string]any{"Ratio": i18n.Int(uint64(n) / f.CompressedSize64), "Max": MaxCompressionRatio}, nil)
	}
	return b, nil
}

// entryHint is the size an entry will have when read: what its header
// says, but no more than the cap and than the archive could hold at the
// largest compression ratio accepted, so a lying header costs no memory.
func entryHint(f *zip.File, archiveSize, limit int64) int64 {
	n := min(f.UncompressedSize64, uint64(limit), f.CompressedSize64*MaxCompressionRatio+1)
	if archiveSize > 0 {
		n = min(n, uint64(archiveSize)*MaxCompressionRatio)
	}
	return int64(n)
}

// safeEntryName accepts only relative slash-separated names that stay
// inside the archive.
func safeEntryName(n string) bool {
	if n == "" || strings.ContainsAny(n, "\\\x00") || strings.HasPrefix(n, "/") {
		return false
	}
	if len(n) >= 2 && n[1] == ':' {
		return false // C:foo
	}
	clean := strings.TrimSuffix(n, "/")
	if clean == "" {
		return false
	}
	return fs.ValidPath(clean) && path.Clean(clean) == clean
}
