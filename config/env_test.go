package config

import (
	"strings"
	"testing"
)

func TestEnvByIndexAndByName(t *testing.T) {
	cfg, err := Parse([]byte(twoModels), nil, []string{
		"SELFCONSUME_MODELS_B_LR=0.02", "SELFCONSUME_MODELS_0_EPOCHS=7", "SELFCONSUME_REWARD_MODEL_HIDDEN=[4]",
		"SELFCONSUME_SLURM_STATE=/tmp/x", // the Slurm scripts' variable, not a key
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Models[1].LR != 0.02 || cfg.Models[0].Epochs != 7 || len(cfg.RewardModel.Hidden) != 1 {
		t.Fatalf("env overrides not applied: lr %g epochs %d hidden %v", cfg.Models[1].LR, cfg.Models[0].Epochs, cfg.RewardModel.Hidden)
	}
}

func TestEnvErrorsNameTheVariable(t *testing.T) {
	for _, c := range []struct {
		env  []string
		want []string
	}{
		{[]string{"SELFCONSUME_CURATON_K=3"}, []string{"SELFCONSUME_CURATON_K matches no config key", "did you mean SELFCONSUME_CURATION_K?", "SELFCONSUME_MODELS_<I>_LR"}},
		{[]string{"SELFCONSUME_MODELS_SOLO_LR=0.1"}, []string{"SELFCONSUME_MODELS_SOLO_LR matches no config key"}},
		{[]string{"SELFCONSUME_CURATION_K=abc"}, []string{"environment variable SELFCONSUME_CURATION_K=abc", "curation.k = abc: want a whole number"}},
		{[]string{"SELFCONSUME_MODELS_A_LR=0.1", "SELFCONSUME_MODELS_0_LR=0.2"}, []string{"SELFCONSUME_MODELS_0_LR and SELFCONSUME_MODELS_A_LR both set models.0.lr"}},
	} {
		_, err := Parse([]byte(twoModels), nil, c.env)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("env %v: error %v lacks %q", c.env, err, w)
			}
		}
	}
}

// Every value's source: default, file, env variable or --set; a list
// item set on its own shows both.
func TestSources(t *testing.T) {
	r, err := parse([]byte(twoModels), []string{"curation.k=7", "models.b.hidden.0=3"}, []string{"SELFCONSUME_MODELS_A_LR=0.5"})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"curation.k":        SourceSet,
		"curation.tau":      SourceDefault,
		"seed":              SourceFile,
		"models.0.lr":       "env SELFCONSUME_MODELS_A_LR",
		"models.0.n":        SourceFile,
		"models.0.epochs":   SourceDefault,
		"models.1.hidden":   "file, --set",
		"models.1.mix.real": SourceFile,
	} {
		if got := r.Sources.Of(path); got != want {
			t.Errorf("source of %s = %q, want %q", path, got, want)
		}
	}
}

func TestDiffKeysNamesTheKeys(t *testing.T) {
	a := mustParse(t, twoModels)
	b := mustParse(t, twoModels, "seed=4", "models.b.lr=0.5")
	d, err := DiffKeys(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(d) != 2 || d[0] != "models.1.lr: 0.001 != 0.5" || d[1] != "seed: 3 != 4" {
		t.Fatalf("diff %q", d)
	}
}
