package collect

import (
	"context"
	"fmt"

	"github.com/klauspost/compress/zstd"

	"github.com/ki-reise/kicheck/internal/report"
)

// The exact signed bytes of each report are kept (collect_report_files),
// so a report can be verified again and exported at any time. They are
// stored compressed with Zstandard: JSON reports shrink about 5 to 1, and
// a municipality's year of weekly reports (260,000) would otherwise take
// 6 GB. The encoding column says how a row is stored; rows written before
// compression (”) hold the plain bytes.
const (
	fileEncodingPlain = ""
	fileEncodingZstd  = "zstd"
)

var (
	// Both are safe for concurrent use: the intake compresses on its
	// verification workers.
	fileEncoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	fileDecoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0),
		zstd.WithDecoderMaxMemory(2*report.MaxSize), zstd.WithDecoderMaxWindow(2*report.MaxSize))
)

// packReport is how the intake stores a report's bytes.
func packReport(data []byte) (stored []byte, encoding string) {
	return fileEncoder.EncodeAll(data, make([]byte, 0, len(data)/4)), fileEncodingZstd
}

// unpackReport returns the signed bytes of a stored report.
func unpackReport(stored []byte, encoding string) ([]byte, error) {
	switch encoding {
	case fileEncodingPlain:
		return stored, nil
	case fileEncodingZstd:
		data, err := fileDecoder.DecodeAll(stored, nil)
		if err != nil {
			return nil, fmt.Errorf("stored report damaged: %w", err)
		}
		return data, nil
	}
	return nil, fmt.Errorf("stored report in unknown encoding %q (written by a newer KI-Check?)", encoding)
}

// StoredReport returns the signed bytes and the signature of the stored
// report with the given SHA-256 (hex, FileResult.SHA256), so it can be
// verified or handed out again.
func StoredReport(ctx context.Context, s Store, sha256 string) (data, sig []byte, err error) {
	return s.StoredReport(ctx, sha256)
}
