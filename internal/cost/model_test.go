package cost

import (
	"math"
	"strings"
	"testing"
	"time"
)

var today = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

// base is the embedded default bundle. Its figures, used by the hand
// calculations below:
//
//	users 50, 10 requests/user/day, 21 working days, 8 h/day
//	800 tokens in, 300 tokens out per request (set here: the bundle file
//	leaves them 0, to be derived from the prompt bundle)
//	cloud: 0,40 €/Mio in, 1,60 €/Mio out, no base fee, 1 h admin/month
//	local: verdict "limited" → 1.500 €, 3 years, 250 W, 12 s/request,
//	       0,30 €/kWh, 4 h admin/month; admin 60 €/h; hybrid share 0,3
func base(t *testing.T) Params {
	t.Helper()
	p := Defaults()
	p.Usage.TokensInPerRequest, p.Usage.TokensOutPerRequest = 800, 300
	return p
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

func TestComputeByHand(t *testing.T) {
	type want struct {
		requests, cloudPerReq, energyPerReq       float64
		localMonthly, cloudMonthly, hybridMonthly float64
		localHorizon, cloudHorizon, hybridHorizon float64
		breakEven, breakEvenUsers, utilisation    float64 // breakEven 0 = none
		option                                    string
	}
	cases := []struct {
		name  string
		tweak func(*Params)
		want  want
	}{
		{
			name:  "defaults: personal data without AVV keeps it local",
			tweak: func(*Params) {},
			want: want{
				// R = 50 × 10 × 21 = 10.500 requests/month
				requests: 10500,
				// c = (800 × 0,40 + 300 × 1,60) / 1e6 = (320 + 480) / 1e6 = 0,0008 €
				cloudPerReq: 0.0008,
				// e = 250 W × 12 s / 3,6e6 = 0,000833… kWh × 0,30 € = 0,00025 €
				energyPerReq: 0.00025,
				// local = 1.500/36 (41,6667) + 10.500 × 0,00025 (2,625) + 4 × 60 (240) = 284,291667
				localMonthly: 1500.0/36 + 2.625 + 240,
				// cloud = 1 × 60 + 10.500 × 0,0008 (8,40) + 0 = 68,40
				cloudMonthly: 68.40,
				// hybrid = 41,6667 + 0,7 × 2,625 (1,8375) + (240 + 60) + 0,3 × 8,40 (2,52) = 346,024167
				hybridMonthly: 1500.0/36 + 1.8375 + 300 + 2.52,
				// × 36 months: 10.234,50 / 2.462,40 / 12.456,87
				localHorizon: 10234.5, cloudHorizon: 2462.4, hybridHorizon: 12456.87,
				// fixed local 281,6667 − fixed cloud 60 = 221,6667; c − e = 0,00055
				// R* = 221,6667 / 0,00055 = 403.030,30; per user 10 × 21 = 210 → 1.919,19 users
				breakEven: (1500.0/36 + 240 - 60) / 0.00055, breakEvenUsers: (1500.0/36 + 240 - 60) / 0.00055 / 210,
				// busy 10.500 × 12 s = 35 h of 21 × 8 = 168 h → 0,208333
				utilisation: 35.0 / 168,
				// cloud is cheapest, but personal data without AVV → local
				option: OptionLocal,
			},
		},
		{
			name: "no personal data, no offline need: the cheapest, cloud",
			tweak: func(p *Params) {
				p.Criteria.PersonalData = false
				p.Criteria.NeedsOffline = false
			},
			want: want{requests: 10500, cloudPerReq: 0.0008, energyPerReq: 0.00025,
				localMonthly: 1500.0/36 + 2.625 + 240, cloudMonthly: 68.40, hybridMonthly: 1500.0/36 + 1.8375 + 300 + 2.52,
				localHorizon: 10234.5, cloudHorizon: 2462.4, hybridHorizon: 12456.87,
				breakEven: (1500.0/36 + 240 - 60) / 0.00055, breakEvenUsers: (1500.0/36 + 240 - 60) / 0.00055 / 210,
				utilisation: 35.0 / 168, option: OptionCloud},
		},
		{
			name: "AVV signed, 2.000 users: local is cheaper but one PC cannot keep up → hybrid",
			tweak: func(p *Params) {
				p.Usage.Users = 2000
				p.Cloud.AVVAvailable = true
				p.Criteria.NeedsOffline = false
			},
			want: want{
				// R = 2.000 × 10 × 21 = 420.000 (above the break-even of 403.030)
				requests: 420000, cloudPerReq: 0.0008, energyPerReq: 0.00025,
				// local = 41,6667 + 420.000 × 0,00025 (105) + 240 = 386,6667
				localMonthly: 1500.0/36 + 105 + 240,
				// cloud = 60 + 420.000 × 0,0008 (336) = 396
				cloudMonthly: 396,
				// hybrid = 41,6667 + 0,7 × 105 (73,5) + 300 + 0,3 × 336 (100,8) = 515,9667
				hybridMonthly: 1500.0/36 + 73.5 + 300 + 100.8,
				localHorizon:  (1500.0/36 + 345) * 36, cloudHorizon: 396 * 36, hybridHorizon: (1500.0/36 + 474.3) * 36,
				breakEven: (1500.0/36 + 240 - 60) / 0.00055, breakEvenUsers: (1500.0/36 + 240 - 60) / 0.00055 / 210,
				// busy 420.000 × 12 s = 1.400 h of 168 h → 8,3333 (overloaded)
				utilisation: 1400.0 / 168, option: OptionHybrid,
			},
		},
		{
			name: "ready hardware, free cloud tokens: no break-even, cloud always cheaper",
			tweak: func(p *Params) {
				p.Local.HardwareVerdict = VerdictReady
				p.Cloud.PriceInputPerMillion, p.Cloud.PriceOutputPerMillion = 0, 0
				p.Criteria.PersonalData, p.Criteria.NeedsOffline = false, false
			},
			want: want{requests: 10500, cloudPerReq: 0, energyPerReq: 0.00025,
				// local = 0 + 2,625 + 240 = 242,625; cloud = 60; hybrid = 0 + 1,8375 + 300 + 0 = 301,8375
				localMonthly: 242.625, cloudMonthly: 60, hybridMonthly: 301.8375,
				localHorizon: 242.625 * 36, cloudHorizon: 2160, hybridHorizon: 301.8375 * 36,
				utilisation: 35.0 / 168, option: OptionCloud},
		},
		{
			name: "cloud with a 500 € base fee, free tokens: cloud cheaper only above a break-even",
			tweak: func(p *Params) {
				p.Local.HardwareVerdict = VerdictReady
				p.Cloud.FixedPerMonth = 500
				p.Cloud.PriceInputPerMillion, p.Cloud.PriceOutputPerMillion = 0, 0
				p.Criteria.PersonalData, p.Criteria.NeedsOffline = false, false
			},
			want: want{requests: 10500, cloudPerReq: 0, energyPerReq: 0.00025,
				// local = 0 + 2,625 + 240 = 242,625; cloud = 500 + 60 = 560
				// hybrid = 0 + 1,8375 + 300 + 0 + 500 = 801,8375
				localMonthly: 242.625, cloudMonthly: 560, hybridMonthly: 801.8375,
				localHorizon: 242.625 * 36, cloudHorizon: 560 * 36, hybridHorizon: 801.8375 * 36,
				// R* = (240 − 560) / (0 − 0,00025) = 1.280.000 requests; / 210 = 6.095,24 users
				breakEven: 1280000, breakEvenUsers: 1280000.0 / 210,
				utilisation: 35.0 / 168, option: OptionLocal},
		},
		{
			name: "explicit hardware 7.200 € over 5 years, cloud too slow → local",
			tweak: func(p *Params) {
				h := 7200.0
				p.Local.HardwareEUR = &h
				p.Local.DepreciationYears = 5
				p.Criteria.PersonalData, p.Criteria.NeedsOffline = false, false
				p.Criteria.MaxLatencyS, p.Criteria.LocalLatencyS, p.Criteria.CloudLatencyS = 5, 3, 9
			},
			want: want{requests: 10500, cloudPerReq: 0.0008, energyPerReq: 0.00025,
				// hardware 7.200 / 60 months = 120; local = 120 + 2,625 + 240 = 362,625
				localMonthly: 362.625, cloudMonthly: 68.40,
				// hybrid = 120 + 1,8375 + 300 + 2,52 = 424,3575
				hybridMonthly: 424.3575,
				localHorizon:  362.625 * 36, cloudHorizon: 2462.4, hybridHorizon: 424.3575 * 36,
				// (120 + 240 − 60) / 0,00055 = 545.454,55; / 210 = 2.597,40 users
				breakEven: 300 / 0.00055, breakEvenUsers: 300 / 0.00055 / 210,
				utilisation: 35.0 / 168, option: OptionLocal},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base(t)
			c.tweak(&p)
			r := Compute(p, today)
			w := c.want
			checks := []struct {
				what      string
				got, want float64
			}{
				{"requests", r.RequestsPerMonth, w.requests},
				{"cloud per request", r.CloudPerRequest, w.cloudPerReq},
				{"energy per request", r.EnergyPerRequest, w.energyPerReq},
				{"local monthly", r.Local.Monthly, w.localMonthly},
				{"cloud monthly", r.Cloud.Monthly, w.cloudMonthly},
				{"hybrid monthly", r.Hybrid.Monthly, w.hybridMonthly},
				{"local horizon", r.Local.Horizon, w.localHorizon},
				{"cloud horizon", r.Cloud.Horizon, w.cloudHorizon},
				{"hybrid horizon", r.Hybrid.Horizon, w.hybridHorizon},
				{"utilisation", r.LocalUtilisation, w.utilisation},
			}
			for _, ch := range checks {
				if !near(ch.got, ch.want) {
					t.Errorf("%s = %.6f, want %.6f", ch.what, ch.got, ch.want)
				}
			}
			if w.breakEven == 0 {
				if r.BreakEvenRequestsPerMonth != nil {
					t.Errorf("break-even = %v, want none", *r.BreakEvenRequestsPerMonth)
				}
			} else if r.BreakEvenRequestsPerMonth == nil || !near(*r.BreakEvenRequestsPerMonth, w.breakEven) || !near(*r.BreakEvenUsers, w.breakEvenUsers) {
				t.Errorf("break-even = %v / %v users, want %.2f / %.2f", r.BreakEvenRequestsPerMonth, r.BreakEvenUsers, w.breakEven, w.breakEvenUsers)
			}
			// Above the break-even local is cheaper exactly when a cloud request costs more than its local power.
			if r.BreakEvenRequestsPerMonth != nil && r.LocalCheaperAboveBreakEven != (w.cloudPerReq > w.energyPerReq) {
				t.Errorf("local cheaper above break-even = %v", r.LocalCheaperAboveBreakEven)
			}
			if r.Recommendation.Option != w.option {
				t.Errorf("recommendation = %s, want %s; reasons:\n%s", r.Recommendation.Option, w.option, strings.Join(r.Recommendation.Reasons, "\n"))
			}
		})
	}
}

func TestReasonsArePlainGerman(t *testing.T) {
	r := Compute(base(t), today)
	all := strings.Join(r.Recommendation.Reasons, "\n")
	for _, want := range []string{
		"lokal 284,29 €", "Cloud 68,40 €", // monthly, German number format
		"403.030 Anfragen", "1.920 Beschäftigte", // break-even rounded (1.919,19 → 1.920 people)
		"AVV, Art. 28 DSGVO", "ohne Internet", "21 %", "Stand 01.11.2026",
		"Die Cloud wäre günstiger",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("reasons lack %q:\n%s", want, all)
		}
	}
	if !strings.HasPrefix(r.Recommendation.Title, "Empfehlung: lokal") {
		t.Errorf("title = %q", r.Recommendation.Title)
	}
}

func TestOldPriceIsFlagged(t *testing.T) {
	p := base(t)
	p.Cloud.PriceDate = "2025-01-15"
	r := Compute(p, today)
	if !strings.Contains(strings.Join(r.Recommendation.Reasons, "\n"), "vom 15.01.2025 und ist älter als sechs Monate") {
		t.Fatalf("old price not flagged: %v", r.Recommendation.Reasons)
	}
}

func TestAmountsInBothLanguages(t *testing.T) {
	for v, want := range map[float64][2]string{1234567.891: {"1.234.567,89 €", "€1,234,567.89"}, 0.5: {"0,50 €", "€0.50"},
		-1234: {"-1.234,00 €", "-€1,234.00"}, 999: {"999,00 €", "€999.00"}} {
		if de, en := euroAmount(v).Text("de"), euroAmount(v).Text("en"); de != want[0] || en != want[1] {
			t.Errorf("euroAmount(%v) = %q / %q, want %q / %q", v, de, en, want[0], want[1])
		}
	}
	if de, en := percent(0.214).Text("de"), percent(0.214).Text("en"); de != "21 %" || en != "21%" {
		t.Errorf("percent = %q / %q", de, en)
	}
}

// TestReasonsInEnglish: Localize renders the same recommendation in
// English, with English number and date formats, and leaves the German
// one as it was.
func TestReasonsInEnglish(t *testing.T) {
	r := Compute(base(t), today)
	de := strings.Join(r.Recommendation.Reasons, "\n")
	en := r.Localize("en").Recommendation
	all := strings.Join(en.Reasons, "\n")
	for _, want := range []string{
		"local €284.29", "cloud €68.40", "403,030 requests", "1,920 employees",
		"AVV, Art. 28 GDPR", "without internet", "21%", "as of 2026-11-01",
		"The cloud would be cheaper",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("English reasons lack %q:\n%s", want, all)
		}
	}
	if en.Title != "Recommendation: run locally" || en.Option != r.Recommendation.Option || len(en.Reasons) != len(r.Recommendation.Reasons) {
		t.Errorf("English recommendation = %+v", en)
	}
	if strings.Join(r.Recommendation.Reasons, "\n") != de || !strings.Contains(de, "Beschäftigte") {
		t.Error("Localize changed the German recommendation")
	}
	for _, german := range []string{"ä", "ö", "ü", "ß", " und ", " der ", " die ", "Monat", "Anfragen"} {
		if strings.Contains(all+en.Title, german) {
			t.Errorf("English reasons contain German %q:\n%s", german, all)
		}
	}
}
