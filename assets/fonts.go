package assets

import _ "embed"

// DejaVu Sans (regular and bold) for the PDF report: the PDF must show
// German umlauts on every OS, so the font travels in the binary instead of
// being looked up on the PC. Licence: fonts/LICENSE-DejaVu.txt (Bitstream
// Vera licence, redistribution allowed).
var (
	//go:embed fonts/DejaVuSans.ttf
	FontSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	FontSansBold []byte
)
