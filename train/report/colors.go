package report

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
)

// modelColors are the fixed model colours, in order: Okabe and Ito's
// colour-blind-safe set without its yellow (too pale on white), then a few
// darker extras. Models beyond these get evenly spaced hues.
var modelColors = []color.NRGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0x8C, 0x56, 0x4B, 0xFF}, // brown
	{0x59, 0x3C, 0x8F, 0xFF}, // violet
}

// colorMap gives every model of a run one colour, used by every figure.
type colorMap map[string]color.NRGBA

// newColorMap assigns colours to models in order.
func newColorMap(models []string) colorMap {
	m := make(colorMap, len(models))
	extra := len(models) - len(modelColors)
	for i, name := range models {
		if i < len(modelColors) {
			m[name] = modelColors[i]
			continue
		}
		h := palette.HSVA{H: math.Mod(0.07+float64(i-len(modelColors))/float64(extra), 1), S: 0.8, V: 0.7, A: 1}
		m[name] = color.NRGBAModel.Convert(h).(color.NRGBA)
	}
	return m
}

// of returns the model's colour (dark grey for a model the run never named).
func (m colorMap) of(model string) color.NRGBA {
	if c, ok := m[model]; ok {
		return c
	}
	return color.NRGBA{0x44, 0x44, 0x44, 0xFF}
}

// withAlpha returns c (non-premultiplied) with the given opacity, 0 to 1.
func withAlpha(c color.NRGBA, a float64) color.Color {
	c.A = uint8(math.Round(255 * a))
	return c
}

// tint mixes c with white: f = 0 is c, f = 1 is white.
func tint(c color.NRGBA, f float64) color.NRGBA {
	mix := func(v uint8) uint8 { return uint8(math.Round(float64(v) + f*(255-float64(v)))) }
	return color.NRGBA{mix(c.R), mix(c.G), mix(c.B), c.A}
}

// Neutral colours for references that belong to no model.
var (
	black     = color.NRGBA{0, 0, 0, 0xFF}
	darkGrey  = color.NRGBA{0x40, 0x40, 0x40, 0xFF}
	midGrey   = color.NRGBA{0x80, 0x80, 0x80, 0xFF}
	lightGrey = color.NRGBA{0xDD, 0xDD, 0xDD, 0xFF}
)
