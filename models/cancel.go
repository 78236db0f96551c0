package models

// CheckEvery is how many training steps the Context variants of the fit
// loops take between looks at their context: a look costs nanoseconds and a
// step tens of microseconds or more, so cancellation is seen within a few
// steps at no measurable cost.
const CheckEvery = 8
