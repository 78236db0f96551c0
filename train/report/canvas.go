package report

import (
	"bytes"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// dpi is the resolution of every PNG.
const dpi = 150

// Figure sizes (see the package comment).
const (
	figWidth     = 6 * vg.Inch
	singleHeight = 4 * vg.Inch
	gridSide     = 6 * vg.Inch
)

// stackHeight is the height of a figure of n panels stacked vertically.
func stackHeight(n int) vg.Length { return vg.Inch + vg.Length(n)*3*vg.Inch }

// pixels converts a figure length to pixels at dpi, as vgimg rounds it.
func pixels(l vg.Length) int { return int(l/vg.Inch*dpi + 0.5) }

// sans is the typeface of every text: Liberation Sans reads better on
// screen than gonum/plot's default serif.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Text sizes in points.
const (
	titleSize  = 13
	labelSize  = 12
	tickSize   = 10.5
	legendSize = 11
)

// newPlot returns a plot with the report's fonts, title and axis labels.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, titleSize)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, labelSize)
		a.Tick.Label.Font = font.From(sans, tickSize)
	}
	p.Legend.TextStyle.Font = font.From(sans, legendSize)
	return p
}

// layout is one figure: a grid of panels (nil leaves a tile empty), an
// optional legend (in a strip right of the panels, or in one empty tile),
// and an optional footer plot (a colour bar) under the panels.
type layout struct {
	w, h        vg.Length
	panels      [][]*plot.Plot
	legend      *plot.Legend
	legendTile  *[2]int // row, column of the tile holding the legend; nil: right strip
	footer      *plot.Plot
	footerH     vg.Length
	footerInset vg.Length // horizontal inset of the footer on both sides
}

// pad is the space between the elements of a figure.
const pad vg.Length = 6

// draw renders the layout onto dc.
func (l *layout) draw(dc draw.Canvas) {
	area := dc
	if l.legend != nil && l.legendTile == nil {
		r := l.legend.Rectangle(dc)
		lw := r.Max.X - r.Min.X + 2*pad
		strip := draw.Crop(dc, dc.Max.X-dc.Min.X-lw, 0, 0, 0)
		area = draw.Crop(dc, 0, -lw, 0, 0)
		l.legend.Top, l.legend.Left = true, true
		l.legend.Draw(draw.Crop(strip, pad, -pad, pad, -4*pad))
	}
	if l.footer != nil {
		foot := draw.Crop(area, l.footerInset, -l.footerInset, pad, -(area.Max.Y - area.Min.Y - l.footerH))
		l.footer.Draw(foot)
		area = draw.Crop(area, 0, 0, l.footerH+pad, 0)
	}
	rows := len(l.panels)
	cols := 0
	for _, r := range l.panels {
		cols = max(cols, len(r))
	}
	for i := range l.panels {
		for len(l.panels[i]) < cols {
			l.panels[i] = append(l.panels[i], nil)
		}
	}
	tiles := draw.Tiles{
		Rows: rows, Cols: cols,
		PadTop: pad, PadBottom: pad, PadLeft: pad, PadRight: pad,
		PadX: 2 * pad, PadY: 2 * pad,
	}
	canvases := plot.Align(l.panels, tiles, area)
	for i, row := range l.panels {
		for j, p := range row {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	if l.legend != nil && l.legendTile != nil {
		t := tiles.At(area, l.legendTile[1], l.legendTile[0])
		l.legend.Top, l.legend.Left = true, true
		l.legend.Draw(draw.Crop(t, 3*pad, -pad, pad, -3*pad))
	}
}

// writePNG renders a layout to a PNG file, atomically.
func writePNG(path string, l *layout) error {
	c := vgimg.NewWith(vgimg.UseWH(l.w, l.h), vgimg.UseDPI(dpi))
	l.draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return err
	}
	return writeFileAtomic(path, buf.Bytes())
}

// writeFileAtomic writes a file through a temporary file in the same folder
// and a rename, so that a reader never sees half a file.
func writeFileAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
