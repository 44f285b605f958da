package ui

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/aiact"
	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// portfolioMatrix draws the benefit × feasibility matrix: x =
// Umsetzbarkeit (0..100), y = hours per year, bubble area ∝ hours, colour
// = legal class, the rank written in each bubble. The text list beside it
// (matrixListText) says the same in words, so colour is never the only
// carrier.
type portfolioMatrix struct {
	widget.BaseWidget
	pf   *hotspot.Portfolio
	lang string
}

func newPortfolioMatrix() *portfolioMatrix {
	m := &portfolioMatrix{}
	m.ExtendBaseWidget(m)
	return m
}

func (m *portfolioMatrix) set(pf *hotspot.Portfolio, l string) {
	m.pf, m.lang = pf, l
	m.Refresh()
}

func (m *portfolioMatrix) MinSize() fyne.Size { return fyne.NewSize(420, 360) }

func (m *portfolioMatrix) CreateRenderer() fyne.WidgetRenderer {
	r := &matrixRenderer{m: m}
	r.rebuild(m.Size())
	return r
}

type matrixRenderer struct {
	m    *portfolioMatrix
	objs []fyne.CanvasObject
}

func (r *matrixRenderer) Layout(size fyne.Size)        { r.rebuild(size) }
func (r *matrixRenderer) MinSize() fyne.Size           { return r.m.MinSize() }
func (r *matrixRenderer) Refresh()                     { r.rebuild(r.m.Size()); canvas.Refresh(r.m) }
func (r *matrixRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *matrixRenderer) Destroy()                     {}

func classColor(c aiact.Class) color.Color {
	rgb := hotspot.ClassColour(c)
	return color.NRGBA{R: uint8(rgb[0]), G: uint8(rgb[1]), B: uint8(rgb[2]), A: 0xc8}
}

// niceTop rounds up to 1, 2, 2.5 or 5 times a power of ten.
func niceTop(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		if f*p >= v {
			return f * p
		}
	}
	return 10 * p
}

func (r *matrixRenderer) rebuild(size fyne.Size) {
	r.objs = r.objs[:0]
	fg := theme.Color(theme.ColorNameForeground)
	muted := theme.Color(theme.ColorNamePlaceHolder)
	text := func(s string, x, y float32, sz float32, c color.Color, align fyne.TextAlign) {
		t := canvas.NewText(s, c)
		t.TextSize = sz
		t.Alignment = align
		ms := t.MinSize()
		switch align {
		case fyne.TextAlignCenter:
			x -= ms.Width / 2
		case fyne.TextAlignTrailing:
			x -= ms.Width
		}
		t.Move(fyne.NewPos(x, y-ms.Height/2))
		t.Resize(ms)
		r.objs = append(r.objs, t)
	}
	line := func(x1, y1, x2, y2 float32, c color.Color, w float32) {
		l := canvas.NewLine(c)
		l.StrokeWidth = w
		l.Position1, l.Position2 = fyne.NewPos(x1, y1), fyne.NewPos(x2, y2)
		r.objs = append(r.objs, l)
	}
	const left, right, top, bottom = 64, 16, 30, 70
	pw, ph := size.Width-left-right, size.Height-top-bottom
	if pw < 50 || ph < 50 {
		return
	}
	x0, y0 := float32(left), float32(top)+ph
	pf := r.m.pf
	maxH := 0.0
	if pf != nil {
		for _, h := range pf.Hotspots {
			maxH = math.Max(maxH, h.Hours)
		}
	}
	topH := niceTop(maxH * 1.1)
	sx := func(f float64) float32 { return x0 + float32(f/100)*pw }
	sy := func(h float64) float32 { return y0 - float32(h/topH)*ph }
	// Axes, ticks and the quadrant lines.
	line(x0, y0, x0+pw, y0, fg, 1)
	line(x0, y0, x0, y0-ph, fg, 1)
	for i := 0; i <= 4; i++ {
		v := topH * float64(i) / 4
		text(i18n.Grouped(r.m.lang, v, 0), x0-6, sy(v), 11, fg, fyne.TextAlignTrailing)
		text(fmt.Sprint(i*25), sx(float64(i)*25), y0+10, 11, fg, fyne.TextAlignCenter)
	}
	text(lang.L("hotspot.matrix.x"), x0+pw/2, y0+26, 12, fg, fyne.TextAlignCenter)
	text(lang.L("processes.matrix_y"), x0-40, 10, 12, fg, fyne.TextAlignLeading)
	if pf == nil || len(pf.Hotspots) == 0 {
		return
	}
	tx, ty := sx(pf.FeasibilityThreshold), sy(pf.BenefitThreshold)
	line(tx, y0, tx, y0-ph, muted, 1)
	line(x0, ty, x0+pw, ty, muted, 1)
	ql := func(q string) string { return i18n.Msg{ID: "hotspot.quadrant." + q}.Text(r.m.lang) }
	text(ql(hotspot.QuickWin), x0+pw-4, y0-ph+10, 12, muted, fyne.TextAlignTrailing)
	text(ql(hotspot.Strategic), x0+6, y0-ph+10, 12, muted, fyne.TextAlignLeading)
	text(ql(hotspot.Examine), x0+pw-4, y0-10, 12, muted, fyne.TextAlignTrailing)
	text(ql(hotspot.Postpone), x0+6, y0-10, 12, muted, fyne.TextAlignLeading)
	// Largest bubbles first, so the small ones stay visible on top.
	hs := append([]hotspot.Hotspot{}, pf.Hotspots...)
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].Hours > hs[j].Hours })
	for _, h := range hs {
		rad := float32(5)
		if maxH > 0 {
			rad = float32(5 + 20*math.Sqrt(h.Hours/maxH))
		}
		cx, cy := sx(h.Feasibility), sy(h.Hours)
		c := canvas.NewCircle(classColor(h.Legal.Result.Class))
		c.StrokeColor = fg
		c.StrokeWidth = 1
		c.Move(fyne.NewPos(cx-rad, cy-rad))
		c.Resize(fyne.NewSize(2*rad, 2*rad))
		r.objs = append(r.objs, c)
	}
	// The ranks after all bubbles, so an overlapping bubble never hides one.
	for _, h := range hs {
		text(fmt.Sprint(h.Rank), sx(h.Feasibility), sy(h.Hours), 11, color.White, fyne.TextAlignCenter)
	}
	// Legend: colour and the class's name.
	lx := x0
	for _, c := range aiact.Classes {
		sw := canvas.NewCircle(classColor(c))
		sw.Move(fyne.NewPos(lx, y0+44))
		sw.Resize(fyne.NewSize(12, 12))
		r.objs = append(r.objs, sw)
		label := c.Label().Text(r.m.lang)
		text(label, lx+16, y0+50, 11, fg, fyne.TextAlignLeading)
		lx += 16 + canvas.NewText(label, fg).MinSize().Width*11/theme.TextSize() + 18
	}
}
