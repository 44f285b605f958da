package ui

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The reusable widgets of the screens, in one place: the horizontal bar
// chart (KI-Test, Eignung), the table layout and the share bar
// (Sammelstelle, portfolio). Built from plain canvas objects, so they need
// no library.

// bar is one bar of a chart: its label, its value, the value as text, and
// its colour (nil: the theme's primary colour).
type bar struct {
	label  string
	value  float64
	text   string
	colour color.Color
}

// barFull is the width of the longest bar.
const barFull = 260

// barRows draws bars as rows: the label (in a column labelWidth wide and
// cut with an ellipsis, or as wide as it is with 0), a bar proportional to
// the largest value, and the value as text.
func barRows(bars []bar, labelWidth float32) []fyne.CanvasObject {
	maxV := 0.0
	for _, b := range bars {
		maxV = math.Max(maxV, b.value)
	}
	rows := make([]fyne.CanvasObject, 0, len(bars))
	for _, b := range bars {
		w := float32(2)
		if maxV > 0 {
			w = float32(math.Max(2, b.value/maxV*barFull))
		}
		col := b.colour
		if col == nil {
			col = theme.Color(theme.ColorNamePrimary)
		}
		rect := canvas.NewRectangle(col)
		rect.SetMinSize(fyne.NewSize(w, 14))
		label := widget.NewLabel(b.label)
		var left fyne.CanvasObject = label
		if labelWidth > 0 {
			label.Truncation = fyne.TextTruncateEllipsis
			left = container.NewGridWrap(fyne.NewSize(labelWidth, label.MinSize().Height), label)
		}
		rows = append(rows, container.NewBorder(nil, nil, left, nil,
			container.NewHBox(container.NewCenter(rect), widget.NewLabel(b.text))))
	}
	return rows
}

// barChart is a horizontal bar chart with a title: one row per bar
// (barRows), or a line saying there is nothing yet.
type barChart struct {
	widget.BaseWidget
	titleText string
	box       *fyne.Container
	bars      []bar
}

func newBarChart(title string) *barChart {
	c := &barChart{titleText: title, box: container.NewVBox()}
	c.ExtendBaseWidget(c)
	c.set(nil)
	return c
}

func (c *barChart) set(bars []bar) {
	c.bars = bars
	objs := []fyne.CanvasObject{widget.NewLabelWithStyle(c.titleText, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	if len(bars) == 0 {
		objs = append(objs, widget.NewLabel(lang.L("aitest.chart_empty")))
	}
	c.box.Objects = append(objs, barRows(bars, 0)...)
	c.box.Refresh()
}

func (c *barChart) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.box) }

func layoutSpacer() fyne.CanvasObject { return canvas.NewRectangle(color.Transparent) }

func newTable(cols, grow int) *fyne.Container {
	return container.New(&tableLayout{cols: cols, grow: grow})
}

// tableLayout places cells in rows of cols, each column as wide as its
// widest cell and each row as high as its highest; column grow (if ≥ 0)
// takes the width left over. A row whose first cell is the only one
// (a note) spans the table.
type tableLayout struct {
	cols, grow int
}

func (l *tableLayout) sizes(objects []fyne.CanvasObject) (widths, heights []float32) {
	widths = make([]float32, l.cols)
	for i := 0; i < len(objects); i += l.cols {
		var h float32
		for c := 0; c < l.cols && i+c < len(objects); c++ {
			m := objects[i+c].MinSize()
			if !l.spanning(objects, i) {
				widths[c] = max(widths[c], m.Width)
			}
			h = max(h, m.Height)
		}
		heights = append(heights, h)
	}
	return widths, heights
}

// spanning says whether the row starting at i is a note over all columns.
func (l *tableLayout) spanning(objects []fyne.CanvasObject, i int) bool {
	if l.cols == 1 {
		return false
	}
	for c := 1; c < l.cols && i+c < len(objects); c++ {
		if _, ok := objects[i+c].(*canvas.Rectangle); !ok {
			return false
		}
	}
	return true
}

func (l *tableLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	widths, heights := l.sizes(objects)
	var w, h float32
	for _, x := range widths {
		w += x
	}
	for _, y := range heights {
		h += y
	}
	return fyne.NewSize(w+theme.Padding()*float32(l.cols-1), h)
}

func (l *tableLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	widths, heights := l.sizes(objects)
	if min := l.MinSize(objects); l.grow >= 0 && size.Width > min.Width {
		widths[l.grow] += size.Width - min.Width
	}
	var y float32
	for r, i := 0, 0; i < len(objects); r, i = r+1, i+l.cols {
		if l.spanning(objects, i) {
			objects[i].Move(fyne.NewPos(0, y))
			objects[i].Resize(fyne.NewSize(size.Width, heights[r]))
			for c := 1; c < l.cols && i+c < len(objects); c++ {
				objects[i+c].Resize(fyne.NewSize(0, 0))
			}
			y += heights[r]
			continue
		}
		var x float32
		for c := 0; c < l.cols && i+c < len(objects); c++ {
			o := objects[i+c]
			if _, isBar := o.(*fyne.Container); isBar {
				// Bars are thin and centred in their row.
				bh := o.MinSize().Height
				o.Move(fyne.NewPos(x, y+(heights[r]-bh)/2))
				o.Resize(fyne.NewSize(widths[c], bh))
			} else {
				o.Move(fyne.NewPos(x, y))
				o.Resize(fyne.NewSize(widths[c], heights[r]))
			}
			x += widths[c] + theme.Padding()
		}
		y += heights[r]
	}
}

// newShareBar draws parts side by side, each as wide as its share.
func newShareBar(parts []int, colours []color.Color) *fyne.Container {
	objs := make([]fyne.CanvasObject, len(parts))
	for i := range parts {
		objs[i] = canvas.NewRectangle(colours[i])
	}
	return container.New(&shareLayout{parts: parts}, objs...)
}

type shareLayout struct{ parts []int }

func (l *shareLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(90, 14) }

func (l *shareLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	total := 0
	for _, p := range l.parts {
		total += p
	}
	var x float32
	for i, o := range objects {
		w := float32(0)
		if total > 0 {
			w = size.Width * float32(l.parts[i]) / float32(total)
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

// headingLabel is a screen's heading: bold, in the theme's heading size.
func headingLabel(text string) *widget.Label {
	l := bold(text)
	l.SizeName = theme.SizeNameHeadingText
	return l
}

// wrapped is a label whose text wraps at word boundaries.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// bold is a bold label.
func bold(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// right is a label aligned to the right (figures in a table).
func right(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{})
}

// showStatus sets a status line's text, red when isErr, and lays box out
// again when there is one (the status may have grown).
func showStatus(l *widget.Label, text string, isErr bool, box *fyne.Container) {
	l.SetText(text)
	l.Importance = widget.MediumImportance
	if isErr {
		l.Importance = widget.DangerImportance
	}
	l.Refresh()
	if box != nil {
		box.Refresh()
	}
}
