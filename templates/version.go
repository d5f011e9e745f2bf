package templates

// Generated code and this package must come from the same mapgen: every
// generated file holds
//
//	const _ = templates.EnforceVersion(N - templates.MinVersion)
//	const _ = templates.EnforceVersion(templates.MaxVersion - N)
//
// where N is the version of the generated API it was written for. The
// conversion of a negative constant does not compile, so a file older than
// MinVersion (re-run mapgen) or newer than MaxVersion (update
// github.com/mapgen/mapgen in go.mod to the mapgen that wrote it) fails
// the build at that line, whose comment says so.
const (
	// MinVersion is the oldest generated API this package serves.
	MinVersion = 2
	// MaxVersion is the newest generated API this package serves.
	MaxVersion = 2
)

// EnforceVersion is the type of the version check of generated files:
// see [MinVersion].
type EnforceVersion uint
