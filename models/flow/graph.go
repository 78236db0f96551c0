package flow

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selfconsume/selfconsume/models"
)

// scalar returns a constant of the graph's dtype.
func scalar(dt tensor.Dtype, v float64) *G.Node {
	if dt == tensor.Float32 {
		return G.NewConstant(float32(v))
	}
	return G.NewConstant(v)
}

// layerFunc adds a conditioner's layer act(x W + b) to the graph, act the
// ReLU when relu is set, else the identity: the fused ops of dense, or
// (tests, to compare) gorgonia's own parts with a given ReLU.
type layerFunc = func(x, w, b *G.Node, relu bool) (*G.Node, error)

// activation is a ReLU as a graph function: package models' fused ReLU or
// gorgonia's Rectify.
type activation = func(*G.Node) (*G.Node, error)

// unfused returns the layer built from gorgonia's Mul and BroadcastAdd with
// the ReLU act.
func unfused(act activation) layerFunc {
	return func(x, w, b *G.Node, relu bool) (*G.Node, error) {
		xw, err := G.Mul(x, w)
		if err != nil {
			return nil, err
		}
		y, err := G.BroadcastAdd(xw, b, nil, []byte{0})
		if err != nil || !relu {
			return y, err
		}
		return act(y)
	}
}

// buildLogProb adds the flow's log-density of the points (x0, x1), each a
// (B,1) node, to their graph and returns it as a (B,1) node. params holds
// Depth*perCoupling nodes in Params order; layer builds the conditioners'
// layers. It panics on a construction error (callers recover; see build).
func buildLogProb(x0, x1 *G.Node, params G.Nodes, smax float64, dt tensor.Dtype, layer layerFunc) *G.Node {
	must := G.Must
	inv, scale := scalar(dt, 1/smax), scalar(dt, smax)
	var sumS *G.Node
	for l := 0; l*perCoupling < len(params); l++ {
		p := params[l*perCoupling : (l+1)*perCoupling]
		cond, t := x0, x1
		if l%2 == 1 {
			cond, t = x1, x0
		}
		h1 := must(layer(cond, p[iW1], p[iB1], true))
		h2 := must(layer(h1, p[iW2], p[iB2], true))
		m := must(layer(h2, p[iWm], p[iBm], false))
		r := must(layer(h2, p[iWs], p[iBs], false))
		s := must(G.Mul(must(G.Tanh(must(G.Mul(r, inv)))), scale))
		t = must(G.Add(must(G.HadamardProd(t, must(G.Exp(s)))), m))
		if l%2 == 0 {
			x1 = t
		} else {
			x0 = t
		}
		if sumS == nil {
			sumS = s
		} else {
			sumS = must(G.Add(sumS, s))
		}
	}
	sq := must(G.Add(must(G.Square(x0)), must(G.Square(x1))))
	base := must(G.Add(must(G.Mul(sq, scalar(dt, 0.5))), scalar(dt, math.Log(2*math.Pi))))
	return must(G.Sub(sumS, base))
}

// graph is a compiled gorgonia graph of the flow for one batch size.
type graph struct {
	g        *G.ExprGraph
	x0T, x1T *tensor.Dense // bound inputs, refilled in place
	params   G.Nodes
	logp     *G.Node // (B,1)
	loss     *G.Node // scalar mean NLL; nil without gradients
	vm       G.VM
	rw       models.Rewinder // restarts vm between steps, keeping its buffers
}

// build constructs the graph of the flow for batch b holding the parameter
// values vals, with layers built by layer. With grad it adds the mean NLL, its
// gradients and a VM bound to the parameters' dual values, for training.
func build(cfg Config, b int, vals [][]float64, grad bool, layer layerFunc) (gr *graph, err error) {
	defer models.LockGraphBuilding()()
	defer func() {
		if r := recover(); r != nil {
			gr, err = nil, fmt.Errorf("flow: building the graph: %v", r)
		}
	}()
	dt := tensor.Float64
	if cfg.Float32 {
		dt = tensor.Float32
	}
	gr = &graph{g: G.NewGraph()}
	x0 := G.NewMatrix(gr.g, dt, G.WithShape(b, 1), G.WithName("x0"))
	x1 := G.NewMatrix(gr.g, dt, G.WithShape(b, 1), G.WithName("x1"))
	gr.x0T = tensor.New(tensor.WithShape(b, 1), tensor.Of(dt))
	gr.x1T = tensor.New(tensor.WithShape(b, 1), tensor.Of(dt))
	if err := G.Let(x0, gr.x0T); err != nil {
		return nil, err
	}
	if err := G.Let(x1, gr.x1T); err != nil {
		return nil, err
	}
	gr.params = newParamNodes(gr.g, cfg, dt, vals)
	gr.logp = buildLogProb(x0, x1, gr.params, cfg.MaxLogScale, dt, layer)
	if !grad {
		gr.vm = G.NewTapeMachine(gr.g)
		return gr, nil
	}
	sum := G.Must(G.Sum(gr.logp))
	gr.loss = G.Must(G.Neg(G.Must(G.Div(sum, scalar(dt, float64(b))))))
	if _, err := G.Grad(gr.loss, gr.params...); err != nil {
		return nil, err
	}
	gr.vm = G.NewTapeMachine(gr.g, G.BindDualValues(gr.params...))
	gr.rw = models.NewRewinder(gr.vm)
	return gr, nil
}

// fill copies points rows[0..B) of x (pairs) into the bound inputs.
func (gr *graph) fill(x []float64, rows []int) {
	switch a := gr.x0T.Data().(type) {
	case []float32:
		c := gr.x1T.Data().([]float32)
		for i, r := range rows {
			a[i], c[i] = float32(x[2*r]), float32(x[2*r+1])
		}
	case []float64:
		c := gr.x1T.Data().([]float64)
		for i, r := range rows {
			a[i], c[i] = x[2*r], x[2*r+1]
		}
	}
}

// scalarValue reads a scalar node's value as float64.
func scalarValue(n *G.Node) float64 {
	switch v := n.Value().Data().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	return math.NaN()
}

// column reads a (B,1) node's value as float64.
func column(n *G.Node) []float64 {
	switch d := n.Value().Data().(type) {
	case []float32:
		out := make([]float64, len(d))
		for i, v := range d {
			out[i] = float64(v)
		}
		return out
	case []float64:
		return append([]float64(nil), d...)
	}
	return nil
}

// zeroGrads clears the gradient buffers (the VM adds into them; Adam clears
// them only when it steps).
func (gr *graph) zeroGrads() {
	for _, n := range gr.params {
		if g, err := n.Grad(); err == nil {
			if t, ok := g.(tensor.Tensor); ok {
				t.Zero()
			}
		}
	}
}
