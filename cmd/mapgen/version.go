package main

import (
	"runtime/debug"
)

// versionLine is what --version prints: the module version the binary was
// built from (go install ...@v1.2.3), else "(devel)" with the VCS revision
// the go command stamped, if any.
func versionLine() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "mapgen (devel)"
	}
	return "mapgen " + describeBuild(info)
}

func describeBuild(info *debug.BuildInfo) string {
	v := info.Main.Version
	if r := info.Main.Replace; r != nil {
		// A replace directive (an unpublished checkout used as a tool)
		// makes the version a placeholder: say where the code came from.
		where := r.Path
		if r.Version != "" && r.Version != "(devel)" {
			where += "@" + r.Version
		}
		return v + " (replaced by " + where + ")"
	}
	if v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "(devel)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		rev += ", modified"
	}
	return "(devel) revision " + rev
}
