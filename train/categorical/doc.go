// Package categorical is the family of conditional categorical generators
// p(y|c) on a finite support of contexts x tokens: its world (the real
// table, the context law, the populations' rewards on the cells), its
// generators and learned reward models, its exact metrics and tables.csv.
// Every law is a table, so the loop's curation, metrics and the theory are
// exact on it.
//
// The machinery (Family over the snapshot Frozen) also serves families
// whose laws are tables on another finite support: package sequence runs
// it on prompts x sequences with its own generators and reward models
// (NewTableFamily).
package categorical
