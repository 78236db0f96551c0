package train

import (
	"context"
	"slices"
	"strings"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/train/categorical"
	"github.com/selfconsume/selfconsume/train/family"
	"github.com/selfconsume/selfconsume/train/planar"
	"github.com/selfconsume/selfconsume/train/sequence"
)

// kind is one value of data.kind: a family's Spec and the generation loop
// run on it.
type kind struct {
	family.Spec
	run func(ctx context.Context, cfg config.Config, opt Options) (*Result, error)
}

// kinds are the families a config can name, by data.kind. Adding a family
// is its package and one line here.
var kinds = registry(
	register(categorical.Kind),
	register(sequence.Kind),
	register(planar.Kind),
)

// register is the registry's entry of a family: the loop on its snapshots.
func register[S any](k family.Kind[S]) kind {
	return kind{Spec: k.Spec, run: func(ctx context.Context, cfg config.Config, opt Options) (*Result, error) {
		return runLoop(ctx, cfg, opt, k.New)
	}}
}

// registry indexes kinds by name.
func registry(ks ...kind) map[string]kind {
	out := map[string]kind{}
	for _, k := range ks {
		out[k.Name] = k
	}
	return out
}

// Kinds lists the values data.kind accepts.
func Kinds() []string {
	out := make([]string, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// kindOf is cfg's family.
func kindOf(cfg config.Config) (kind, error) {
	k, ok := kinds[cfg.Data.Kind]
	if !ok {
		return kind{}, config.Invalid("data.kind", cfg.Data.Kind, "allowed: %s", strings.Join(Kinds(), ", "))
	}
	return k, nil
}
