package gen

import "errors"

// ErrInternal is wrapped by errors that reveal a bug in mapgen rather than
// a problem with its input (for example, generated source that does not
// parse). The command gives them an exit status of their own, so that a
// script can tell a crash from a refusal.
var ErrInternal = errors.New("mapgen bug")
