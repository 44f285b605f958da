package cost

// Layers are the sources of the cost parameters besides the file (or the
// built-in defaults), which Apply puts in the one order of precedence that
// the CLI (kicheck cost) and the GUI (Cloud screen) share. Each may be nil
// or empty.
type Layers struct {
	// Measured sets what runs measured (tokens per request, compute time,
	// latencies: compare.ApplyToCost) and names the parameters it set.
	Measured func(*Params) ([]string, error)
	// Estimated fills what is still 0 from the test bundle's size
	// (compare.ApplyBundle) and names the parameters it set.
	Estimated func(*Params) ([]string, error)
	// FitVerdict is this PC's overall verdict from its newest stored probe
	// (fit.LatestVerdict); "" when there is none.
	FitVerdict string
	// Entered sets what a person entered (flags, the form): it wins.
	Entered func(*Params)
}

// Applied says where the parameters came from.
type Applied struct {
	Measured  []string // parameters taken from runs
	Estimated []string // parameters estimated from the test bundle
	// VerdictFromFit: the hardware verdict is the stored probe's (a
	// person's entry may still replace it).
	VerdictFromFit bool
}

// Apply sets p from the layers, each over the one before: the file's
// values, then measurements, then the bundle's estimates for what is still
// missing, then this PC's fit verdict, then what a person entered.
func Apply(p *Params, l Layers) (Applied, error) {
	var a Applied
	var err error
	if l.Measured != nil {
		if a.Measured, err = l.Measured(p); err != nil {
			return a, err
		}
	}
	if l.Estimated != nil && (p.Usage.TokensInPerRequest == 0 || p.Usage.TokensOutPerRequest == 0) {
		if a.Estimated, err = l.Estimated(p); err != nil {
			return a, err
		}
	}
	if l.FitVerdict != "" {
		p.Local.HardwareVerdict = l.FitVerdict
		a.VerdictFromFit = true
	}
	if l.Entered != nil {
		l.Entered(p)
	}
	return a, nil
}
